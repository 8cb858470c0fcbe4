package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.api.RpcParallelException;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Kinds;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A bounded loop of spawns, calls and streams while workers are killed with SIGKILL, stopped
 * with SIGSTOP and resumed, or stopped until their master declares them lost, and garbage
 * connections arrive. Every call and stream must end
 * within a bound (no hang); an answer that arrives must be the right one, exactly once; a call
 * may fail only on a worker that was killed; no worker process may outlive the run; and the
 * master's heap must come back to where it was.
 */
class ChaosIT {
    private static final Duration RUN = Duration.ofSeconds(25);
    private static final int MAX_ROUNDS = 300;
    private static final long OUTCOME_BOUND_SECONDS = 60;
    private static final long HEAP_GROWTH_BOUND = 32L * 1024 * 1024;

    /** Short heartbeats, so that a worker stopped for long is declared lost within the run. */
    private static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(250);
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofMillis(4_000);

    private final LauncherRuntime application = new LauncherRuntime();
    private final ExecutorService clients = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "chaos-client");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Long> everyWorkerPid = new ArrayList<>();

    /** One worker and the connection the loop uses, replaced by a fresh one once killed. */
    private final class Slot {
        final int index;
        int generation;
        WorkerRef worker;
        Connection connection;
        long pid;
        volatile boolean killed;

        Slot(int index) {
            this.index = index;
            respawn();
        }

        void respawn() {
            if (connection != null) {
                connection.close();
            }
            generation++;
            killed = false;
            worker = application.spawn(Kinds.TYPE, null,
                    SpawnOptions.builder().name("chaos-" + index + "-" + generation).build());
            connection = application.connect(worker, null);
            assertThat(connection.call(Kinds.PING, "up")).isEqualTo("up");
            pid = pidOf(worker);
            everyWorkerPid.add(pid);
        }
    }

    /** An operation's outcome: the worker it ran on, whether that worker was killed, and what came back. */
    private record Outcome(Slot slot, int generation, String expected, CompletableFuture<String> result) {}

    @AfterEach
    void tearDown() {
        clients.shutdownNow();
        application.shutdownAll();
    }

    @Test
    void callsAndStreamsEndRightWhileWorkersAreKilledStoppedAndFuzzed() throws Exception {
        long seed = System.nanoTime();
        System.out.println("ChaosIT seed " + seed);
        Random random = new Random(seed);
        // Garbage is sent over TCP to the workers' ports (sendGarbage): the thrift transport, named.
        application.initMaster(RpcSettings.defaults().withTransport("thrift")
                .withHeartbeat(HEARTBEAT_INTERVAL, HEARTBEAT_TIMEOUT));
        List<Slot> slots = List.of(new Slot(0), new Slot(1), new Slot(2));
        long heapBefore = usedHeapAfterGc();

        List<Outcome> outcomes = new ArrayList<>();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicInteger kills = new AtomicInteger();
        AtomicInteger stops = new AtomicInteger();
        AtomicInteger lost = new AtomicInteger();
        AtomicInteger garbage = new AtomicInteger();
        long deadline = System.nanoTime() + RUN.toNanos();
        int rounds = 0;
        while (rounds < MAX_ROUNDS && System.nanoTime() < deadline) {
            rounds++;
            Slot slot = slots.get(random.nextInt(slots.size()));
            int action = random.nextInt(100);
            if (action < 45) {
                for (int i = 0; i < 16; i++) {
                    String text = "r" + rounds + "-" + i + "-" + random.nextLong();
                    outcomes.add(new Outcome(slot, slot.generation, text,
                            slot.connection.callAsync(Kinds.PING, text)));
                }
            } else if (action < 70) {
                long count = 1 + random.nextInt(2_000);
                Connection connection = slot.connection;
                outcomes.add(new Outcome(slot, slot.generation, "sum " + (count * (count - 1) / 2),
                        CompletableFuture.supplyAsync(() -> {
                            long sum = 0;
                            long expectedNext = 0;
                            try (RemoteStream<Long> numbers = connection.pipe(Kinds.NUMBERS, count)) {
                                for (long n : numbers) {
                                    if (n != expectedNext++) {
                                        return "out of order: " + n + " where " + (expectedNext - 1) + " was due";
                                    }
                                    sum += n;
                                }
                            }
                            return "sum " + sum;
                        }, clients)));
            } else if (action < 74) {
                // Stopped past the heartbeat timeout: the master must declare it lost and kill it,
                // failing what was pending on it instead of waiting forever.
                slot.killed = true;
                lost.incrementAndGet();
                signal("STOP", slot.pid);
                await().atMost(HEARTBEAT_TIMEOUT.multipliedBy(4)).until(() -> ProcessHandle.of(slot.pid).isEmpty()
                        || !MasterProcess.isRunning(ProcessHandle.of(slot.pid).get()));
                slot.respawn();
            } else if (action < 80) {
                // SIGKILL, then a fresh worker in its place; calls in flight on it may fail.
                slot.killed = true;
                kills.incrementAndGet();
                ProcessHandle.of(slot.pid).ifPresent(ProcessHandle::destroyForcibly);
                await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(slot.pid).isEmpty()
                        || !MasterProcess.isRunning(ProcessHandle.of(slot.pid).get()));
                slot.respawn();
            } else if (action < 90) {
                // A short pause, well under the heartbeat timeout: nothing may fail because of it.
                // (The master's heartbeat watch counts from the last heartbeat, so stay an
                // interval and more below the timeout.)
                stops.incrementAndGet();
                signal("STOP", slot.pid);
                long pausedUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50 + random.nextInt(250));
                await().pollInterval(Duration.ofMillis(10)).until(() -> System.nanoTime() >= pausedUntil);
                signal("CONT", slot.pid);
            } else {
                garbage.incrementAndGet();
                sendGarbage(slot.worker, random);
            }
        }

        int answered = 0;
        int failedOnKilled = 0;
        for (Outcome outcome : outcomes) {
            try {
                String result = outcome.result().get(OUTCOME_BOUND_SECONDS, TimeUnit.SECONDS);
                if (!result.equals(outcome.expected())) {
                    problems.add("wrong answer from worker generation " + outcome.generation()
                            + ": expected '" + outcome.expected() + "', got '" + result + "'");
                }
                answered++;
            } catch (TimeoutException e) {
                problems.add("no outcome within " + OUTCOME_BOUND_SECONDS + " s for '" + outcome.expected() + "'");
            } catch (ExecutionException e) {
                boolean killedUnderIt = outcome.generation() < outcome.slot().generation
                        || outcome.slot().killed;
                if (killedUnderIt && e.getCause() instanceof RpcParallelException) {
                    failedOnKilled++;
                } else {
                    problems.add("failed on a worker that was not killed: " + e.getCause());
                }
            }
        }
        System.out.printf("ChaosIT: %d rounds, %d operations: %d answered right, %d failed on killed workers;"
                        + " %d kills, %d short stops, %d workers stopped until declared lost, %d garbage connections%n",
                rounds, outcomes.size(), answered, failedOnKilled, kills.get(), stops.get(), lost.get(), garbage.get());
        assertThat(problems).isEmpty();
        assertThat(answered).isGreaterThan(outcomes.size() / 2);

        // Every connection still answers after the storm.
        for (Slot slot : slots) {
            assertThat(slot.connection.call(Kinds.PING, "after")).isEqualTo("after");
        }

        long heapAfter = usedHeapAfterGc();
        System.out.printf("ChaosIT: master heap after GC %d KiB before, %d KiB after%n", heapBefore / 1024, heapAfter / 1024);
        assertThat(heapAfter - heapBefore).isLessThan(HEAP_GROWTH_BOUND);

        application.shutdownAll();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(everyWorkerPid.stream()
                .flatMap(pid -> ProcessHandle.of(pid).stream())
                .filter(MasterProcess::isRunning)
                .map(ProcessHandle::pid)
                .toList()).as("worker processes alive after shutdown").isEmpty());
    }

    private static long pidOf(WorkerRef worker) {
        return WorkerProcesses.named(worker.name()).map(ProcessHandle::pid)
                .orElseThrow(() -> new AssertionError("no process for worker " + worker.name()));
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        int status = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
        assertThat(status).as("kill -%s %d", signal, pid).isZero();
    }

    private static void sendGarbage(WorkerRef worker, Random random) {
        int colon = worker.address().lastIndexOf(':');
        String host = worker.address().substring(0, colon);
        int port = Integer.parseInt(worker.address().substring(colon + 1));
        byte[] bytes = new byte[1 + random.nextInt(512)];
        random.nextBytes(bytes);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2_000);
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            // A stopped or dying worker may not take it: the point is what it does to the others.
        }
    }

    private static long usedHeapAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
