package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.DeadlineExceededException;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Kinds;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How a blocking caller waits for its answer: the only caller blocked on a connection picks up
 * a quick answer without parking; a slow answer, or many callers, cost it no processor; deadlines,
 * cancellations and interrupts end its wait as before.
 */
class LoneCallerWaitIT {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static WorkerRef worker;

    @BeforeAll
    static void spawn() {
        worker = Parallel.spawn(Kinds.TYPE, null, SpawnOptions.builder().name("lone-caller").build());
    }

    @AfterAll
    static void shutDown() {
        Parallel.shutdownWorkers();
    }

    @Test
    void aLoneCallersQuickAnswersComeWithoutItParking() {
        int calls = 1_000;
        try (Connection connection = Parallel.connect(worker)) {
            for (int i = 0; i < 5_000; i++) {
                connection.call(Kinds.PING, "warm-up");
            }
            // Parking for each answer costs a voluntary switch per call (0.84 to 0.97 measured);
            // a run of calls on a machine that is not overloaded for its length costs far fewer.
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                long before = voluntarySwitchesOfThisThread();
                for (int i = 0; i < calls; i++) {
                    String arg = "call " + i;
                    assertThat(connection.call(Kinds.PING, arg)).isEqualTo(arg);
                }
                double perCall = (voluntarySwitchesOfThisThread() - before) / (double) calls;
                assertThat(perCall).as("the caller's voluntary context switches per call").isLessThan(0.3);
            });
        }
    }

    @Test
    void aLoneCallerKeepsCatchingQuickAnswersAmongSlowOnes() {
        // Every 20th call takes 2 ms: a rule on the mean round trip turned the watch off for the
        // dozen quick calls after each (0.6 and more switches per quick call), the watch's own
        // success does not.
        int rounds = 50;
        int quickPerRound = 19;
        try (Connection connection = Parallel.connect(worker)) {
            for (int i = 0; i < 5_000; i++) {
                connection.call(Kinds.PING, "warm-up");
            }
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                long quickSwitches = 0;
                for (int round = 0; round < rounds; round++) {
                    assertThat(connection.call(Kinds.SLEEP, 2L)).isEqualTo(2L);
                    long before = voluntarySwitchesOfThisThread();
                    for (int i = 0; i < quickPerRound; i++) {
                        String arg = round + ":" + i;
                        assertThat(connection.call(Kinds.PING, arg)).isEqualTo(arg);
                    }
                    quickSwitches += voluntarySwitchesOfThisThread() - before;
                }
                double perCall = quickSwitches / (double) (rounds * quickPerRound);
                assertThat(perCall).as("the caller's voluntary context switches per quick call").isLessThan(0.3);
            });
        }
    }

    @Test
    void aLoneCallerWhoseAnswersComeTooLateForTheWatchStopsWatching() {
        // Answers after 300 us, three times the watch's longest: watching for each would cost the
        // caller up to 100 us of processor per call more than parking at once, which is what it
        // does for answers after 3 ms (too slow to be watched for at all). Alternating blocks of
        // the two, so that both see the same machine.
        try (Connection connection = Parallel.connect(worker)) {
            for (int i = 0; i < 5_000; i++) {
                connection.call(Kinds.PING, "warm-up");
            }
            for (int i = 0; i < 300; i++) {
                connection.call(Kinds.PAUSE, 300L);
            }
            long[] cpu = new long[2];
            int[] calls = new int[2];
            for (int round = 0; round < 4; round++) {
                cpu[0] += cpuOfCalls(connection, 300L, 250);
                calls[0] += 250;
                cpu[1] += cpuOfCalls(connection, 3_000L, 60);
                calls[1] += 60;
            }
            double tooLate = cpu[0] / 1_000.0 / calls[0];
            double parkedAtOnce = cpu[1] / 1_000.0 / calls[1];
            assertThat(tooLate).as("the caller's processor time per 300 us call, us, against %.1f us per 3 ms call",
                    parkedAtOnce).isLessThan(parkedAtOnce + 10);
        }
    }

    private static long cpuOfCalls(Connection connection, long pauseMicros, int calls) {
        long before = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < calls; i++) {
            assertThat(connection.call(Kinds.PAUSE, pauseMicros)).isEqualTo(pauseMicros);
        }
        return THREADS.getCurrentThreadCpuTime() - before;
    }

    @Test
    void aLoneCallerWaitingForASlowAnswerParksAfterAShortWatch() {
        try (Connection connection = Parallel.connect(worker)) {
            for (int i = 0; i < 1_000; i++) {
                connection.call(Kinds.PING, "warm-up");
            }
            for (int round = 0; round < 3; round++) {
                long cpuBefore = THREADS.getCurrentThreadCpuTime();
                assertThat(connection.call(Kinds.SLEEP, 300L)).isEqualTo(300L);
                long cpuMillis = TimeUnit.NANOSECONDS.toMillis(THREADS.getCurrentThreadCpuTime() - cpuBefore);
                // Watching the whole 300 ms would take that much processor.
                assertThat(cpuMillis).as("the caller's processor time for a 300 ms answer, ms").isLessThan(60);
            }
        }
    }

    @Test
    void manyCallersBlockedOnOneConnectionTakeNoProcessorWhileTheyWait() throws Exception {
        int threads = 8;
        ExecutorService callers = Executors.newFixedThreadPool(threads);
        try (Connection connection = Parallel.connect(worker)) {
            List<CompletableFuture<Long>> cpu = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                cpu.add(CompletableFuture.supplyAsync(() -> {
                    long before = THREADS.getCurrentThreadCpuTime();
                    assertThat(connection.call(Kinds.SLEEP, 500L)).isEqualTo(500L);
                    return THREADS.getCurrentThreadCpuTime() - before;
                }, callers));
            }
            long total = 0;
            for (CompletableFuture<Long> one : cpu) {
                total += one.get(60, TimeUnit.SECONDS);
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(total))
                    .as("processor time of %d callers waiting 500 ms each, ms", threads).isLessThan(150);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void callersComingAndGoingWithDeadlinesCancellationsAndInterruptsEachGetTheirOwnAnswers() throws Exception {
        int threads = 4;
        int callsPerThread = 1_500;
        ExecutorService callers = Executors.newFixedThreadPool(threads);
        AtomicBoolean running = new AtomicBoolean(true);
        try (Connection connection = Parallel.connect(worker)) {
            List<Waiting> waiting = new ArrayList<>();
            List<CompletableFuture<int[]>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(CompletableFuture.supplyAsync(() -> {
                    Waiting self = new Waiting(Thread.currentThread());
                    synchronized (waiting) {
                        waiting.add(self);
                    }
                    SplittableRandom random = new SplittableRandom(thread);
                    int[] outcomes = new int[4]; // answered, timed out, cancelled, interrupted
                    for (int i = 0; i < callsPerThread; i++) {
                        String arg = thread + ":" + i;
                        int kind = random.nextInt(20);
                        if (kind == 0) {
                            try {
                                connection.call(Kinds.SLEEP, 200L, Duration.ofMillis(1 + random.nextInt(3)));
                                throw new AssertionError("a 200 ms call returned within its deadline of ms");
                            } catch (DeadlineExceededException expected) {
                                outcomes[1]++;
                            }
                        } else if (kind == 1) {
                            CompletableFuture<Long> slow = connection.callAsync(Kinds.SLEEP, 200L);
                            assertThat(slow.cancel(true)).isTrue();
                            try {
                                slow.join();
                                throw new AssertionError("a cancelled call was answered");
                            } catch (CancellationException expected) {
                                outcomes[2]++;
                            }
                        } else if (kind < 5) {
                            // Waits where the interrupter may interrupt it: only between the call's
                            // send and its answer (an interrupt during a write on the unix transport
                            // closes the socket, a limit of interruptible channels, not of the wait).
                            long millis = random.nextInt(3);
                            CompletableFuture<Long> answer = connection.callAsync(Kinds.SLEEP, millis);
                            self.waiting(true);
                            try {
                                assertThat(answer.get(60, TimeUnit.SECONDS)).isEqualTo(millis);
                                outcomes[0]++;
                            } catch (InterruptedException e) {
                                answer.cancel(true);
                                outcomes[3]++;
                            } catch (Exception e) {
                                throw new AssertionError(e);
                            } finally {
                                self.waiting(false);
                                Thread.interrupted(); // one that came after the answer
                            }
                        } else {
                            assertThat(connection.call(Kinds.PING, arg)).isEqualTo(arg);
                            outcomes[0]++;
                        }
                    }
                    return outcomes;
                }, callers));
            }
            Thread interrupter = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(42);
                while (running.get()) {
                    synchronized (waiting) {
                        if (!waiting.isEmpty()) {
                            waiting.get(random.nextInt(waiting.size())).interruptIfWaiting();
                        }
                    }
                    try {
                        TimeUnit.MICROSECONDS.sleep(200 + random.nextInt(1_000)); // the pace of interrupts, not a wait
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "lone-caller-test-interrupter");
            interrupter.start();
            int[] total = new int[4];
            try {
                for (CompletableFuture<int[]> outcome : done) {
                    int[] one = outcome.get(240, TimeUnit.SECONDS);
                    for (int k = 0; k < 4; k++) {
                        total[k] += one[k];
                    }
                }
            } finally {
                running.set(false);
                interrupter.join(10_000);
            }
            assertThat(total[0] + total[1] + total[2] + total[3]).isEqualTo(threads * callsPerThread);
            assertThat(total[1]).as("timed out").isPositive();
            assertThat(total[2]).as("cancelled").isPositive();
            assertThat(total[3]).as("interrupted").isPositive();
            assertThat(connection.isOpen()).isTrue();
            assertThat(connection.call(Kinds.PING, "after")).isEqualTo("after");
        } finally {
            callers.shutdownNow();
        }
    }

    /** A caller thread, and whether it is waiting for an answer it has sent the call of. */
    private static final class Waiting {
        private final Thread thread;
        private boolean waiting;

        Waiting(Thread thread) {
            this.thread = thread;
        }

        synchronized void waiting(boolean now) {
            waiting = now;
        }

        synchronized void interruptIfWaiting() {
            if (waiting) {
                thread.interrupt();
            }
        }
    }

    @Test
    void anIdleConnectionsThreadsUseNoProcessor() throws Exception {
        try (Connection connection = Parallel.connect(worker)) {
            for (int i = 0; i < 1_000; i++) {
                connection.call(Kinds.PING, "warm-up");
            }
            Map<Long, Long> before = cpuOfLibraryThreads();
            Thread.sleep(1_000); // the window measured, not a wait for a state
            Map<Long, Long> after = cpuOfLibraryThreads();
            long used = 0;
            for (Map.Entry<Long, Long> thread : after.entrySet()) {
                used += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(used))
                    .as("processor time of the library's threads over an idle second, ms").isLessThan(20);
            assertThat(connection.call(Kinds.PING, "after")).isEqualTo("after");
        }
    }

    private static Map<Long, Long> cpuOfLibraryThreads() {
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("rpc-parallel-")) {
                cpu.put(info.getThreadId(), Math.max(0, THREADS.getThreadCpuTime(info.getThreadId())));
            }
        }
        return cpu;
    }

    private static long voluntarySwitchesOfThisThread() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new IllegalStateException("no voluntary_ctxt_switches in /proc/thread-self/status");
    }
}
