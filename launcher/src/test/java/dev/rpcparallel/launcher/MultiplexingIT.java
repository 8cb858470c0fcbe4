package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.DeadlineExceededException;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.RpcParallelException;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Kinds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
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
            long alone = System.nanoTime();
            connection.call(Kinds.LENGTH, large);
            System.out.printf("large call alone: %d ms%n", (System.nanoTime() - alone) / 1_000_000);
            int answeredInAllRounds = 0;
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
                long[] micros = latencies.stream().mapToLong(l -> l / 1000).sorted().toArray();
                System.out.printf("round %d: large call %d ms; %d small calls answered meanwhile,"
                        + " median %d us, p99 %d us, max %d us%n", round, bigMillis, micros.length,
                        micros[micros.length / 2], micros[micros.length * 99 / 100], micros[micros.length - 1]);
                // How many fit beside the large call depends on the machine's load: at least one each round.
                assertThat(latencies).as("small calls answered while the large call was in flight").isNotEmpty();
                answeredInAllRounds += latencies.size();
                // Before payloads were chunked, a small call waited for the whole 64 MiB write.
                assertThat(micros[micros.length / 2]).as("median small-call latency, us").isLessThan(50_000);
            }
            // A small call sent just before the large one starts out may pass it even without
            // chunking; more than one a round on average may not.
            assertThat(answeredInAllRounds).as("small calls answered beside the large one, in 3 rounds").isGreaterThan(5);
        } finally {
            sender.shutdownNow();
        }
    }

    // Short rpc calls run on the worker's reading thread (no hand-off); these check that a call
    // that does not return soon never holds up the connection's other frames for long.

    @Test
    void aLongCallDoesNotHoldUpTheOtherCallsOfItsConnection() throws Exception {
        try (Connection connection = Parallel.connect(worker)) {
            connection.call(Kinds.PING, "warm-up");
            CompletableFuture<Long> sleeping = connection.callAsync(Kinds.SLEEP, 8_000L);
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                assertThat(connection.callAsync(Kinds.PING, "small " + i).get(4, TimeUnit.SECONDS))
                        .isEqualTo("small " + i);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(sleeping).as("the long call, still running after %d ms of small calls", millis).isNotDone();
            assertThat(sleeping.get(60, TimeUnit.SECONDS)).isEqualTo(8_000L);
        }
    }

    @Test
    void aCallThatWaitsForALaterFrameOfItsOwnConnectionGetsIt() throws Exception {
        try (Connection connection = Parallel.connect(worker)) {
            String note = "awaited " + System.nanoTime();
            CompletableFuture<Boolean> waiting = connection.callAsync(Kinds.AWAIT_NOTE, note);
            connection.oneWay(Kinds.NOTE, note);
            assertThat(waiting.get(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aCallThatCallsBackIntoItsOwnWorkerIsAnswered() throws Exception {
        try (Connection connection = Parallel.connect(worker)) {
            List<CompletableFuture<String>> nested = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                nested.add(connection.callAsync(Kinds.PING_VIA, worker));
            }
            for (CompletableFuture<String> answer : nested) {
                assertThat(answer.get(60, TimeUnit.SECONDS)).isEqualTo("via");
            }
            assertThat(connection.call(Kinds.PING, "after")).isEqualTo("after");
        }
    }

    @Test
    void pipelinedCallsFromManyThreadsGetTheirOwnAnswers() throws Exception {
        int threads = 4;
        int callsPerThread = 5_000;
        ExecutorService callers = Executors.newFixedThreadPool(threads);
        try (Connection connection = Parallel.connect(worker)) {
            List<CompletableFuture<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(CompletableFuture.supplyAsync(() -> {
                    List<CompletableFuture<String>> answers = new ArrayList<>();
                    for (int i = 0; i < callsPerThread; i++) {
                        answers.add(connection.callAsync(Kinds.PING, thread + ":" + i));
                    }
                    int right = 0;
                    for (int i = 0; i < callsPerThread; i++) {
                        if (answers.get(i).join().equals(thread + ":" + i)) {
                            right++;
                        }
                    }
                    return right;
                }, callers));
            }
            for (CompletableFuture<Integer> right : done) {
                assertThat(right.get(120, TimeUnit.SECONDS)).isEqualTo(callsPerThread);
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void blockingCallersWithRandomTimeoutsAndCancellationsEachGetTheirOwnAnswers() throws Exception {
        int threads = 8;
        int callsPerThread = 600;
        ExecutorService callers = Executors.newFixedThreadPool(threads);
        try (Connection connection = Parallel.connect(worker)) {
            List<CompletableFuture<int[]>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(CompletableFuture.supplyAsync(() -> {
                    SplittableRandom random = new SplittableRandom(thread);
                    int[] outcomes = new int[3]; // answered, timed out, cancelled
                    for (int i = 0; i < callsPerThread; i++) {
                        String arg = thread + ":" + i;
                        int kind = random.nextInt(10);
                        if (kind == 0) {
                            // Times out while its answer is outstanding; the worker is told to cancel.
                            assertThatThrownBy(() -> connection.call(Kinds.SLEEP, 200L, Duration.ofMillis(2)))
                                    .isInstanceOf(DeadlineExceededException.class);
                            outcomes[1]++;
                        } else if (kind == 1) {
                            CompletableFuture<Long> slow = connection.callAsync(Kinds.SLEEP, 200L);
                            assertThat(slow.cancel(true)).isTrue();
                            assertThatThrownBy(slow::join).isInstanceOf(CancellationException.class);
                            outcomes[2]++;
                        } else {
                            assertThat(connection.call(Kinds.PING, arg)).isEqualTo(arg);
                            outcomes[0]++;
                        }
                    }
                    return outcomes;
                }, callers));
            }
            int[] total = new int[3];
            for (CompletableFuture<int[]> outcome : done) {
                int[] one = outcome.get(180, TimeUnit.SECONDS);
                for (int k = 0; k < 3; k++) {
                    total[k] += one[k];
                }
            }
            assertThat(total[0] + total[1] + total[2]).isEqualTo(threads * callsPerThread);
            assertThat(total[1]).as("timed out").isPositive();
            assertThat(total[2]).as("cancelled").isPositive();
            assertThat(connection.isOpen()).isTrue();
            assertThat(connection.call(Kinds.PING, "after")).isEqualTo("after");
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aCallerWhoseInterruptIsPendingHasItsCallCancelledAndTheConnectionLives() {
        try (Connection connection = Parallel.connect(worker)) {
            assertThat(connection.call(Kinds.PING, "before")).isEqualTo("before");

            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> connection.call(Kinds.SLEEP, 5_000L))
                        .isInstanceOf(RpcParallelException.class)
                        .hasMessage("Interrupted while waiting for a call; it was cancelled");
                assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
            } finally {
                Thread.interrupted();
            }

            assertThat(connection.isOpen()).isTrue();
            assertThat(connection.call(Kinds.PING, "after")).isEqualTo("after");
        }
    }
}
