package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Kinds;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A slow consumer keeps a fast producer's memory bounded: credit-based flow control end to end. */
class PipeBackpressureIT {

    @AfterAll
    static void shutDown() {
        Parallel.shutdownWorkers();
    }

    @Test
    void millionElementsToASlowConsumerFromAWorkerWith64MiBOfHeap() {
        // Unbounded, a million 100-character elements queued in the worker would need far more
        // than 64 MiB; bounded by the window, they need a few kilobytes.
        WorkerRef small = Parallel.spawn(Kinds.TYPE, null, SpawnOptions.builder().name("small-heap")
                .addJvmOptions("-Xmx64m").build());
        long count = 1_000_000;
        long start = System.nanoTime();
        try (Connection connection = Parallel.connect(small);
                RemoteStream<String> texts = connection.pipe(Kinds.TEXTS, count)) {
            long received = 0;
            for (String text : texts) {
                assertThat(text).startsWith(String.format("%010d", received));
                received++;
                if (received % 1000 == 0) {
                    // The consumer's own slowness: it works 5 ms per thousand elements, far
                    // slower than the producer, which would otherwise run ahead.
                    LockSupport.parkNanos(5_000_000);
                }
            }
            assertThat(received).isEqualTo(count);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("pipe: %d elements in %.1f s with a slow consumer (%.0f elements/s)%n",
                    count, seconds, count / seconds);
            assertThat(connection.call(Kinds.PING, "alive")).isEqualTo("alive");
        }
    }

    @Test
    void pipeThroughputWithAFastConsumer() {
        WorkerRef worker = Parallel.spawn(Kinds.TYPE, null, SpawnOptions.builder().name("throughput").build());
        long count = 1_000_000;
        try (Connection connection = Parallel.connect(worker)) {
            connection.pipe(Kinds.NUMBERS, 10_000L).stream().count(); // warm-up
            long start = System.nanoTime();
            try (RemoteStream<Long> numbers = connection.pipe(Kinds.NUMBERS, count)) {
                assertThat(numbers.stream().count()).isEqualTo(count);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("pipe: %d elements in %.2f s (%.0f elements/s)%n", count, seconds, count / seconds);
        }
    }
}
