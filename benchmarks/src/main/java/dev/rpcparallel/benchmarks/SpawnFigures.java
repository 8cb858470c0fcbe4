package dev.rpcparallel.benchmarks;

import static dev.rpcparallel.benchmarks.ResultTable.ms;
import static dev.rpcparallel.benchmarks.ResultTable.ratio;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.benchmarks.ResultTable.Verdict;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * 2.1: spawn to ready, against a bare JVM start with the same {@code java}, options and class
 * path. "Ready" is {@code Parallel.spawn} plus {@code Parallel.connect} returned: a call can be
 * made. The bare JVM is ready when its first line of output arrives. The two alternate, so
 * that the machine's noise falls on both alike.
 */
final class SpawnFigures {
    private static final AtomicInteger NAMES = new AtomicInteger();

    private SpawnFigures() {}

    static void run(Scale scale, ResultTable table) throws Exception {
        for (int i = 0; i < scale.warmupSpawns(); i++) {
            bareJvm();
            spawnToReady();
        }
        Samples bare = new Samples();
        Samples spawn = new Samples();
        for (int i = 0; i < scale.sequentialSpawns(); i++) {
            bare.add(bareJvm());
            spawn.add(spawnToReady());
        }
        String runs = scale.sequentialSpawns() + " sequential";
        double medianRatio = (double) spawn.median() / bare.median();
        double p90Ratio = (double) spawn.percentile(90) / bare.percentile(90);
        table.add("2.1", "spawn to ready, median (" + runs + ")", ms(spawn.median()),
                "bare `java -cp … Hello`, median", ms(bare.median()), ratio(medianRatio), "≤ 2.0×",
                Verdict.of(medianRatio <= 2.0));
        table.add("2.1", "spawn to ready, p90 (" + runs + ")", ms(spawn.percentile(90)),
                "bare `java -cp … Hello`, p90", ms(bare.percentile(90)), ratio(p90Ratio), "≤ 2.0×",
                Verdict.of(p90Ratio <= 2.0));

        creatingTheArchive(Math.max(2, scale.sequentialSpawns() / 4), table);

        int n = scale.parallelSpawns();
        Samples parallelBare = new Samples();
        Samples parallelSpawn = new Samples();
        ExecutorService threads = Executors.newFixedThreadPool(n);
        try {
            for (int round = 0; round < scale.parallelRounds(); round++) {
                parallelBare.add(inParallel(threads, n, SpawnFigures::bareJvm));
                parallelSpawn.add(inParallel(threads, n, SpawnFigures::spawnToReady));
            }
        } finally {
            threads.shutdownNow();
        }
        table.add("2.1", n + " spawned in parallel, total (median of " + scale.parallelRounds() + ")",
                ms(parallelSpawn.median()), n + " bare JVMs in parallel", ms(parallelBare.median()),
                ratio((double) parallelSpawn.median() / parallelBare.median()), "(none set)", Verdict.INFO);
    }

    /**
     * The spawn that finds no CDS archive for its class path (a fresh cache directory each time)
     * and so starts its worker without one and, once it has registered, the archive maker,
     * against a spawn with CDS off: what creating the archive costs the spawn that triggers it.
     */
    private static void creatingTheArchive(int spawns, ResultTable table) throws Exception {
        Samples creating = new Samples();
        Samples off = new Samples();
        for (int i = 0; i < spawns; i++) {
            Path cache = Files.createTempDirectory("rpc-parallel-bench-cds-");
            try {
                // CDS on for this spawn even if the harness turned it off (a spawn's -D wins over the master's).
                creating.add(spawnToReady(System.nanoTime(), new CountDownLatch(0), "-Drpcparallel.cds=true",
                        "-Drpcparallel.cds.dir=" + cache));
                awaitArchive(cache);
            } finally {
                deleteTree(cache);
            }
            off.add(spawnToReady(System.nanoTime(), new CountDownLatch(0), "-Drpcparallel.cds=false"));
        }
        table.add("2.1", "spawn to ready while creating the CDS archive (median of " + spawns + ")",
                ms(creating.median()), "spawn with CDS off (`-Drpcparallel.cds=false`), median", ms(off.median()),
                ratio((double) creating.median() / off.median()), "(none set)", Verdict.INFO);
    }

    /**
     * The master releases its claim (the {@code .lock}) as the making's last act, after the maker
     * exited and the dump ran: up to 60 s for that (the dump's own limit is 30 s).
     */
    private static void awaitArchive(Path cache) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(cache)) {
                if (files.noneMatch(file -> file.getFileName().toString().endsWith(".lock"))) {
                    return;
                }
            }
            Thread.sleep(20);
        }
    }

    /** Deletes {@code directory} and what it holds; a file another process deletes meanwhile is skipped. */
    static void deleteTree(Path directory) throws IOException {
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Nanoseconds until a bare JVM printed its first line (then waits for its exit, untimed). */
    static long bareJvm() throws Exception {
        return bareJvm(System.nanoTime(), new CountDownLatch(0));
    }

    /**
     * Starts a bare JVM; returns when it was ready, in nanoseconds after {@code start}. Waits
     * for {@code allReady} before letting it exit, so that no exit competes with a start.
     */
    static long bareJvm(long start, CountDownLatch allReady) throws Exception {
        ChildJvms.Child hello = ChildJvms.start(Hello.class, 1);
        long ready = System.nanoTime() - start;
        allReady.countDown();
        allReady.await(5, TimeUnit.MINUTES);
        hello.finish();
        return ready;
    }

    /** Nanoseconds from spawn until connected; then shuts the worker down and waits for its exit, untimed. */
    static long spawnToReady() throws Exception {
        return spawnToReady(System.nanoTime(), new CountDownLatch(0));
    }

    /** As {@link #bareJvm(long, CountDownLatch)}, for a spawned and connected worker. */
    static long spawnToReady(long start, CountDownLatch allReady, String... jvmOptions) throws Exception {
        WorkerRef worker = Parallel.spawn(Bench.TYPE, null,
                SpawnOptions.builder().name("spawn-" + NAMES.incrementAndGet()).addJvmOptions(jvmOptions).build());
        long pid;
        long ready;
        try (Connection connection = Parallel.connect(worker)) {
            ready = System.nanoTime() - start;
            allReady.countDown();
            pid = connection.call(Bench.PID, null);
            allReady.await(5, TimeUnit.MINUTES);
        }
        Parallel.shutdown(worker);
        awaitExit(pid);
        return ready;
    }

    static void awaitExit(long pid) throws Exception {
        var handle = ProcessHandle.of(pid);
        if (handle.isPresent()) {
            handle.get().onExit().get(30, TimeUnit.SECONDS);
        }
    }

    interface Starter {
        long start(long start, CountDownLatch allReady) throws Exception;
    }

    /** Nanoseconds until the last of {@code n} starts begun together was ready. */
    static long inParallel(ExecutorService threads, int n, Starter task) throws Exception {
        CountDownLatch allReady = new CountDownLatch(n);
        long start = System.nanoTime();
        List<Future<Long>> runs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            runs.add(threads.submit(() -> task.start(start, allReady)));
        }
        long last = 0;
        for (Future<Long> run : runs) {
            last = Math.max(last, run.get(5, TimeUnit.MINUTES));
        }
        return last;
    }
}
