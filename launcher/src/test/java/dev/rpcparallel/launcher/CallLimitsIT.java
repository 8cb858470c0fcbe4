package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.RpcParallelException;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Load;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker with a small heap keeps what its callers send it within its receive budget, and runs
 * calls on a bounded number of threads, whatever the number of concurrent calls. The worker runs
 * with {@code -XX:+ExitOnOutOfMemoryError}: an OutOfMemoryError anywhere in it would end it and
 * fail the calls.
 */
class CallLimitsIT {
    private static final int HEAP_MIB = 256;
    private static final int MIB = 1024 * 1024;
    private static WorkerRef worker;
    private static Connection connection;

    @BeforeAll
    static void spawn() {
        worker = Parallel.spawn(Load.TYPE, null, SpawnOptions.builder().name("small-heap-load")
                .addJvmOptions("-Xmx" + HEAP_MIB + "m", "-XX:+ExitOnOutOfMemoryError").build());
        connection = Parallel.connect(worker);
    }

    @AfterAll
    static void shutDown() {
        if (connection != null) {
            connection.close();
        }
        Parallel.shutdownWorkers();
    }

    @Test
    void aHundredConcurrent4MiBCallsToA256MiBWorkerAllSucceed() throws Exception {
        byte[] argument = new byte[4 * MIB];
        long start = System.nanoTime();
        List<CompletableFuture<Long>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            // Each call keeps its argument a second: held all at once, they would need 400 MiB.
            calls.add(connection.callAsync(Load.SLOW_SIZE, argument));
        }
        for (CompletableFuture<Long> call : calls) {
            assertThat(call.get(120, TimeUnit.SECONDS)).isEqualTo(4L * MIB);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("100 concurrent 4 MiB calls of a second each to a worker at -Xmx%dm: all answered in %d ms%n",
                HEAP_MIB, millis);
        // Alive and serving: a call after them, on the same connection and on a new one.
        assertThat(connection.call(Load.SIZE, new byte[10])).isEqualTo(10L);
        try (Connection another = Parallel.connect(worker)) {
            assertThat(another.call(Load.SIZE, new byte[3])).isEqualTo(3L);
        }
    }

    @Test
    void aCallLargerThanTheWholeBudgetFailsNamingItAndTheConnectionServesOn() throws Exception {
        // The automatic budget is an eighth of the heap: 32 MiB at -Xmx256m.
        byte[] tooLarge = new byte[48 * MIB];
        assertThatThrownBy(() -> connection.call(Load.SIZE, tooLarge))
                .isInstanceOf(RpcParallelException.class)
                .hasMessageMatching("Worker 'small-heap-load' refused function 'size': its encoded argument is \\d+ bytes,"
                        + " more than the whole receive budget of \\d+ bytes of worker 'small-heap-load' \\(process \\d+,"
                        + " an eighth of its maximum heap of \\d+ bytes\\): raise RpcSettings.receiveBudget"
                        + " \\(withReceiveBudget, or receiveBudget= in RPC_PARALLEL_SETTINGS\\) or the receiver's heap"
                        + " \\(-Xmx\\), or send less at once");
        // The connection read the refused payload through and serves on.
        assertThat(connection.call(Load.SIZE, new byte[20 * MIB])).isEqualTo(20L * MIB);
        assertThat(connection.callAsync(Load.SIZE, new byte[5]).get(60, TimeUnit.SECONDS)).isEqualTo(5L);
    }

    @Test
    void aThousandConcurrentSleepingCallsRunOnABoundedNumberOfThreads() throws Exception {
        int slots = Math.max(16, 2 * connection.call(Load.PROCESSORS, null));
        int before = connection.call(Load.THREADS, null);
        long start = System.nanoTime();
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            calls.add(connection.callAsync(Load.SLEEP_THEN_COUNT_THREADS, 150L));
        }
        int peak = 0;
        for (CompletableFuture<Integer> call : calls) {
            peak = Math.max(peak, call.get(120, TimeUnit.SECONDS));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("1000 concurrent 150 ms calls: all answered in %d ms; the worker's threads: %d before,"
                + " at most %d seen during them (%d call slots)%n", millis, before, peak, slots);
        // At most one thread per slot runs a call, and as many more may be former reading
        // threads of calls that ran long on them (each still holding a slot): never one per call.
        assertThat(peak - before).as("threads added by 1000 concurrent calls").isLessThanOrEqualTo(2 * slots + 4);
        // The slots were used: the calls ran at least four at a time.
        assertThat(millis).as("1000 calls of 150 ms on %d slots", slots).isLessThan(1000L * 150 / 4);
    }

    @Test
    void callsThatWaitForCallsOfTheirOwnWorkerNeverStarveTheSlots() throws Exception {
        int slots = Math.max(16, 2 * connection.call(Load.PROCESSORS, null));
        // Each call holds a slot and waits for a call of the same worker, which needs one too:
        // four times as many of them as slots would wait for good if waiting kept the slot.
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 4 * slots; i++) {
            calls.add(connection.callAsync(Load.VIA, new Load.Via(worker, 200)));
        }
        for (CompletableFuture<Integer> call : calls) {
            assertThat(call.get(120, TimeUnit.SECONDS)).isPositive();
        }
    }

    @Test
    void aResultLargerThanTheCallersWholeBudgetFailsThatCallAndTheConnectionServesOn() throws Exception {
        // The caller is a worker at -Xmx64m (a budget of 8 MiB) calling the worker above.
        WorkerRef caller = Parallel.spawn(Load.TYPE, null, SpawnOptions.builder().name("small-caller")
                .addJvmOptions("-Xmx64m", "-XX:+ExitOnOutOfMemoryError").build());
        try (Connection toCaller = Parallel.connect(caller)) {
            assertThat(toCaller.call(Load.FETCH, new Load.Fetch(worker, 2 * MIB, new byte[0])))
                    .isEqualTo("received " + 2 * MIB + "; then 7");
            // The call's 6 MiB argument is held while it waits for a 4 MiB result: together over
            // the caller's 8 MiB, yet the result is taken (answers have a budget of their own;
            // sharing one, the result would wait for the argument, held until the result came).
            assertThat(toCaller.callAsync(Load.FETCH, new Load.Fetch(worker, 4 * MIB, new byte[6 * MIB]))
                    .get(60, TimeUnit.SECONDS)).isEqualTo("received " + 4 * MIB + "; then 7");
            assertThat(toCaller.call(Load.FETCH, new Load.Fetch(worker, 12 * MIB, new byte[0])))
                    .matches("failed: Cannot receive the encoded result of function 'bytes' from worker 'small-heap-load':"
                            + " it is \\d+ bytes, more than the whole receive budget of \\d+ bytes of this process"
                            + " \\(process \\d+, an eighth of its maximum heap of \\d+ bytes\\): raise"
                            + " RpcSettings.receiveBudget \\(withReceiveBudget, or receiveBudget= in RPC_PARALLEL_SETTINGS\\)"
                            + " or the receiver's heap \\(-Xmx\\), or send less at once; then 7");
        } finally {
            Parallel.shutdown(caller);
        }
    }
}
