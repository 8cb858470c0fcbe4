package dev.rpcparallel.benchmarks;

import static dev.rpcparallel.benchmarks.ResultTable.mib;
import static dev.rpcparallel.benchmarks.ResultTable.ms;
import static dev.rpcparallel.benchmarks.ResultTable.ratio;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.benchmarks.ResultTable.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * 2.8: the resident size ({@code VmRSS}) of an idle worker against an idle bare JVM started the
 * same way; then many idle workers spawned (8 at a time), each answering a call, and shut down.
 */
final class MemoryFigures {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final int AT_A_TIME = 8;

    private MemoryFigures() {}

    static void idleWorker(Scale scale, ResultTable table) throws Exception {
        WorkerRef worker = Parallel.spawn(Bench.TYPE, null, SpawnOptions.builder().name("idle-rss").build());
        long pid;
        try (Connection connection = Parallel.connect(worker)) {
            pid = connection.call(Bench.PID, null);
            connection.call(Bench.ECHO, new byte[CallFigures.SMALL]);
        }
        ChildJvms.Child hello = ChildJvms.start(Hello.class, 1, "wait");
        try {
            Thread.sleep(TimeUnit.SECONDS.toMillis(scale.idleSeconds())); // let both settle
            long workerRss = ChildJvms.residentBytes(pid);
            long bareRss = ChildJvms.residentBytes(hello.process().pid());
            table.add("2.8", "idle worker resident size (VmRSS), default worker options", mib(workerRss)
                            + pss(pid), "idle bare JVM (`Hello`, waiting on stdin)",
                    mib(bareRss) + pss(hello.process().pid()), ratio((double) workerRss / bareRss), "≤ 64 MiB",
                    Verdict.of(workerRss <= 64L * 1024 * 1024));
        } finally {
            hello.finish();
            Parallel.shutdown(worker);
            SpawnFigures.awaitExit(pid);
        }
    }

    private static String pss(long pid) {
        return ChildJvms.proportionalBytes(pid).map(bytes -> " (PSS " + mib(bytes) + ")").orElse("");
    }

    record Idle(WorkerRef worker, long pid) {}

    static void manyIdleWorkers(Scale scale, ResultTable table) throws Exception {
        int n = scale.idleWorkers();
        ExecutorService threads = Executors.newFixedThreadPool(AT_A_TIME);
        try {
            // Baseline: as many bare JVMs, started 8 at a time, all alive at once.
            long bareStart = System.nanoTime();
            List<Future<ChildJvms.Child>> bareStarts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                bareStarts.add(threads.submit(() -> ChildJvms.start(Hello.class, 1, "wait")));
            }
            List<ChildJvms.Child> bare = new ArrayList<>();
            for (Future<ChildJvms.Child> start : bareStarts) {
                bare.add(start.get(10, TimeUnit.MINUTES));
            }
            long bareTime = System.nanoTime() - bareStart;
            Thread.sleep(TimeUnit.SECONDS.toMillis(scale.idleSeconds()));
            long bareRss = 0;
            for (ChildJvms.Child child : bare) {
                bareRss += ChildJvms.residentBytes(child.process().pid());
            }
            for (ChildJvms.Child child : bare) {
                child.finish();
            }

            long start = System.nanoTime();
            List<Future<Idle>> spawns = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                spawns.add(threads.submit(() -> {
                    WorkerRef worker = Parallel.spawn(Bench.TYPE, null,
                            SpawnOptions.builder().name("idle-" + NAMES.incrementAndGet()).build());
                    try (Connection connection = Parallel.connect(worker)) {
                        return new Idle(worker, connection.call(Bench.PID, null));
                    }
                }));
            }
            List<Idle> workers = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            for (Future<Idle> spawn : spawns) {
                try {
                    workers.add(spawn.get(10, TimeUnit.MINUTES));
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(String.valueOf(e.getCause()));
                }
            }
            long spawnTime = System.nanoTime() - start;
            Thread.sleep(TimeUnit.SECONDS.toMillis(scale.idleSeconds()));
            long rss = 0;
            long pss = 0;
            for (Idle idle : workers) {
                rss += ChildJvms.residentBytes(idle.pid());
                pss += ChildJvms.proportionalBytes(idle.pid()).orElse(0L);
            }
            // Every one answers again, now that all are up.
            int answered = 0;
            for (Idle idle : workers) {
                try (Connection connection = Parallel.connect(idle.worker())) {
                    if (connection.call(Bench.PID, null) == idle.pid()) {
                        answered++;
                    }
                }
            }
            long shutdownStart = System.nanoTime();
            Parallel.shutdownWorkers();
            long left = 0;
            for (Idle idle : workers) {
                Optional<ProcessHandle> handle = ProcessHandle.of(idle.pid());
                if (handle.isPresent()) {
                    try {
                        handle.get().onExit().get(10, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                        left++;
                    }
                }
            }
            long shutdownTime = System.nanoTime() - shutdownStart;

            table.add("2.8", n + " idle workers: spawned " + AT_A_TIME + " at a time, connected, answered",
                    answered + "/" + n + " answered, " + ms(spawnTime), n + " bare JVMs to ready, "
                            + AT_A_TIME + " at a time", ms(bareTime), ratio((double) spawnTime / bareTime),
                    "all answer", Verdict.of(answered == n && failures.isEmpty()));
            table.add("2.8", n + " idle workers: total resident size", mib(rss) + " (PSS " + mib(pss) + ")",
                    n + " idle bare JVMs", mib(bareRss), ratio((double) rss / bareRss), "(none set)", Verdict.INFO);
            table.add("2.8", n + " idle workers: shut down", (workers.size() - left) + "/" + workers.size()
                            + " exited in " + ms(shutdownTime) + ", " + left + " left", "-", "-", "-",
                    "all exit, none left", Verdict.of(left == 0 && workers.size() == n));
            for (String failure : failures) {
                table.note("2.8 spawn failed: " + failure);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
