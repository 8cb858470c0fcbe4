package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.HeapCounters;
import dev.rpcparallel.launcher.testplugins.LargePayloads;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a large {@code byte[]} echo costs the worker in memory, measured without a clock: the
 * bytes its JVM allocates per echo (on every thread, from its collectors' accounts), against the
 * payload's size. The worker receives the argument into one array and decodes it (a copy); the
 * function's {@code byte[]} result goes out from its own array, without being encoded into
 * another: two payloads per echo, where encoding the result made it three. The caller's figures
 * are printed beside, not asserted: the test's JVM runs the G1 collector, whose accounts of
 * large arrays are coarser (it sends the argument from its array too, and decodes the result).
 */
class LargePayloadMemoryIT {
    private static final int MIB = 1024 * 1024;

    private static WorkerRef worker;
    private static Connection connection;

    @BeforeAll
    static void spawn() {
        worker = Parallel.spawn(LargePayloads.TYPE, null, SpawnOptions.builder().name("large-payloads").build());
        connection = Parallel.connect(worker, LargePayloads.TYPE, null);
        HeapCounters.install();
    }

    @AfterAll
    static void shutDown() {
        if (connection != null) {
            connection.close();
        }
        Parallel.shutdownWorkers();
    }

    @Test
    void aWorkerAllocatesTwoPayloadsPer1MiBEchoNotThree() {
        PerEcho cost = measure(MIB, 40, 100);
        assertThat(cost.worker().allocatedBytes()).as("bytes the worker allocates per 1 MiB echo: %s", cost)
                .isLessThan((long) (2.5 * MIB));
    }

    @Test
    void aWorkerAllocatesTwoPayloadsPer16MiBEchoNotThree() {
        PerEcho cost = measure(16 * MIB, 4, 12);
        assertThat(cost.worker().allocatedBytes()).as("bytes the worker allocates per 16 MiB echo: %s", cost)
                .isLessThan((long) (2.5 * 16 * MIB));
    }

    /** What one echo of {@code size} bytes costs on each side, averaged over {@code echoes} after a warm-up. */
    private static PerEcho measure(int size, int warmUp, int echoes) {
        byte[] payload = new byte[size];
        new Random(size).nextBytes(payload);
        for (int i = 0; i < warmUp; i++) {
            check(connection.call(LargePayloads.ECHO, payload), payload);
        }
        HeapCounters workerBefore = HeapCounters.of(connection.call(LargePayloads.HEAP_COUNTERS, null));
        HeapCounters callerBefore = HeapCounters.now();
        for (int i = 0; i < echoes; i++) {
            check(connection.call(LargePayloads.ECHO, payload), payload);
        }
        HeapCounters callerAfter = HeapCounters.now();
        HeapCounters workerAfter = HeapCounters.of(connection.call(LargePayloads.HEAP_COUNTERS, null));
        PerEcho cost = new PerEcho(size, echoes, perEcho(workerAfter.since(workerBefore), echoes),
                perEcho(callerAfter.since(callerBefore), echoes));
        System.out.println("large payload memory: " + cost);
        return cost;
    }

    private static void check(byte[] answer, byte[] payload) {
        assertThat(answer.length).isEqualTo(payload.length);
        assertThat(Arrays.equals(answer, payload)).as("the echo answered the bytes sent").isTrue();
    }

    private static HeapCounters perEcho(HeapCounters total, int echoes) {
        return new HeapCounters(total.allocatedBytes() / echoes, total.youngCollections(), total.oldCollections(),
                total.youngGenerationBytes());
    }

    /** Per echo: bytes allocated; in all the echoes: young and old collections; the young generation's size. */
    private record PerEcho(int size, int echoes, HeapCounters worker, HeapCounters caller) {
        @Override
        public String toString() {
            return String.format("%d echoes of %d bytes: worker %.2f payloads allocated per echo, %d young and %d old"
                            + " collections, young generation %d MiB; caller %.2f payloads per echo, %d young and %d old"
                            + " collections, young generation %d MiB",
                    echoes, size, (double) worker.allocatedBytes() / size, worker.youngCollections(),
                    worker.oldCollections(), worker.youngGenerationBytes() / MIB,
                    (double) caller.allocatedBytes() / size, caller.youngCollections(), caller.oldCollections(),
                    caller.youngGenerationBytes() / MIB);
        }
    }
}
