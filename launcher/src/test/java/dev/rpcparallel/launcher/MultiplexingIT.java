package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Kinds;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Calls and streams share one connection without head-of-line blocking. */
class MultiplexingIT {
    private static final int LARGE = 64 * 1024 * 1024;
    private static WorkerRef worker;

    @BeforeAll
    static void spawn() {
        worker = Parallel.spawn(Kinds.TYPE, null, SpawnOptions.builder().name("multiplexing").build());
    }

    @AfterAll
    static void shutDown() {
        Parallel.shutdownWorkers();
    }

    @Test
    void smallCallsAreAnsweredWhileA64MiBPayloadIsInFlight() throws Exception {
        byte[] large = new byte[LARGE];
        ExecutorService sender = Executors.newSingleThreadExecutor();
        try (Connection connection = Parallel.connect(worker)) {
            connection.call(Kinds.PING, "warm-up");
            connection.call(Kinds.LENGTH, new byte[1024 * 1024]);
            for (int round = 0; round < 3; round++) {
                long start = System.nanoTime();
                CompletableFuture<Long> big = CompletableFuture.supplyAsync(
                        () -> connection.callAsync(Kinds.LENGTH, large), sender).thenCompose(f -> f);
                List<Long> latencies = new ArrayList<>();
                while (!big.isDone()) {
                    long before = System.nanoTime();
                    String answer = connection.callAsync(Kinds.PING, "small").get(60, TimeUnit.SECONDS);
                    if (!big.isDone()) {
                        latencies.add(System.nanoTime() - before);
                    }
                    assertThat(answer).isEqualTo("small");
                }
                long bigMillis = (System.nanoTime() - start) / 1_000_000;
                assertThat(big.get(60, TimeUnit.SECONDS)).isEqualTo((long) LARGE);
                LongSummaryStatistics stats = latencies.stream().mapToLong(l -> l / 1000).summaryStatistics();
                System.out.printf("round %d: large call %d ms; %d small calls answered meanwhile, mean %d us, max %d us%n",
                        round, bigMillis, stats.getCount(), (long) stats.getAverage(), stats.getMax());
                assertThat(latencies).as("small calls answered while the large call was in flight").hasSizeGreaterThan(5);
            }
        } finally {
            sender.shutdownNow();
        }
    }
}
