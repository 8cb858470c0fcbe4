package dev.rpcparallel.benchmarks;

import static dev.rpcparallel.benchmarks.ResultTable.ms;
import static dev.rpcparallel.benchmarks.ResultTable.rate;
import static dev.rpcparallel.benchmarks.ResultTable.ratio;
import static dev.rpcparallel.benchmarks.ResultTable.us;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.benchmarks.ResultTable.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * How cost grows: many workers spawned at once (the total, and per worker, against as many bare
 * JVMs started at once), and one worker's round trip with more and more callers, each on its
 * own connection and thread (latency per call, and calls per second in all).
 */
final class ScalingFigures {
    private static final int[] SPAWNED_AT_ONCE = {8, 16, 32};
    private static final int[] SPAWNED_AT_ONCE_QUICK = {2, 4};
    private static final int[] CALLERS = {1, 8, 32};
    private static final int[] CALLERS_QUICK = {1, 4};

    private ScalingFigures() {}

    static void run(Scale scale, ResultTable table) throws Exception {
        boolean quick = scale == Scale.QUICK;
        spawnedAtOnce(quick ? SPAWNED_AT_ONCE_QUICK : SPAWNED_AT_ONCE, table);
        callers(quick ? CALLERS_QUICK : CALLERS, quick ? 200 : 5_000, table);
    }

    /** {@code n} workers spawned together until the last is connected, against {@code n} bare JVMs started together. */
    private static void spawnedAtOnce(int[] counts, ResultTable table) throws Exception {
        // One spawn and one bare JVM first, untimed: the class-data archive exists, as it does in use.
        SpawnFigures.spawnToReady();
        SpawnFigures.bareJvm();
        for (int n : counts) {
            ExecutorService threads = Executors.newFixedThreadPool(n);
            long bare;
            long spawned;
            try {
                bare = SpawnFigures.inParallel(threads, n, SpawnFigures::bareJvm);
                spawned = SpawnFigures.inParallel(threads, n, (start, allReady) ->
                        SpawnFigures.spawnToReady(start, allReady));
            } finally {
                threads.shutdownNow();
            }
            table.add("2.10", n + " workers spawned at once: until the last is connected", ms(spawned),
                    n + " bare JVMs started at once, until the last printed", ms(bare),
                    ratio((double) spawned / bare), "(none set)", Verdict.INFO);
            table.add("2.10", n + " workers spawned at once: per worker (total / " + n + ")", ms(spawned / n),
                    "bare JVMs: per JVM", ms(bare / n), ratio((double) spawned / bare), "(none set)", Verdict.INFO);
        }
    }

    /**
     * One worker; {@code c} callers, each on its own connection and thread, make 32-byte calls
     * one after another. The latency is each call's round trip; the rate is all callers' calls
     * over the time until the last caller finished. Compared with one caller in the same run.
     */
    private static void callers(int[] counts, int callsPerCaller, ResultTable table) throws Exception {
        WorkerRef worker = Parallel.spawn(Bench.TYPE, null, SpawnOptions.builder().name("bench-callers").build());
        try {
            long oneCallerP50 = 0;
            double oneCallerRate = 0;
            for (int c : counts) {
                Samples latencies = new Samples();
                double rate = callersAtOnce(worker, c, callsPerCaller, latencies);
                if (c == counts[0]) {
                    oneCallerP50 = latencies.median();
                    oneCallerRate = rate;
                }
                table.add("2.10", "round trip p50 / p99, " + c + (c == 1 ? " caller" : " callers"),
                        us(latencies.median()) + " / " + us(latencies.percentile(99)),
                        "p50 with " + counts[0] + " caller", us(oneCallerP50),
                        ratio((double) latencies.median() / oneCallerP50), "(none set)", Verdict.INFO);
                table.add("2.10", "calls/s, " + c + (c == 1 ? " caller" : " callers") + " (one call in flight each)",
                        rate(rate, "calls/s"), "with " + counts[0] + " caller", rate(oneCallerRate, "calls/s"),
                        ratio(rate / oneCallerRate), "(none set)", Verdict.INFO);
            }
        } finally {
            Parallel.shutdown(worker);
        }
    }

    private static double callersAtOnce(WorkerRef worker, int callers, int calls, Samples latencies)
            throws Exception {
        List<Connection> connections = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(callers);
        try {
            for (int i = 0; i < callers; i++) {
                connections.add(Parallel.connect(worker));
            }
            byte[] payload = new byte[CallFigures.SMALL];
            CountDownLatch go = new CountDownLatch(1);
            List<Future<long[]>> runs = new ArrayList<>();
            for (Connection connection : connections) {
                runs.add(threads.submit(() -> {
                    for (int i = 0; i < Math.min(calls, 2_000); i++) {
                        connection.call(Bench.ECHO, payload); // warm-up, untimed
                    }
                    go.await();
                    long[] each = new long[calls];
                    for (int i = 0; i < calls; i++) {
                        long start = System.nanoTime();
                        connection.call(Bench.ECHO, payload);
                        each[i] = System.nanoTime() - start;
                    }
                    return each;
                }));
            }
            long start = System.nanoTime();
            go.countDown();
            for (Future<long[]> run : runs) {
                for (long each : run.get(5, TimeUnit.MINUTES)) {
                    latencies.add(each);
                }
            }
            long elapsed = System.nanoTime() - start;
            return (double) callers * calls / (elapsed / 1e9);
        } finally {
            threads.shutdownNow();
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }
}
