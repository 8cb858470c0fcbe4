package dev.rpcparallel.benchmarks;

import static dev.rpcparallel.benchmarks.ResultTable.ms;
import static dev.rpcparallel.benchmarks.ResultTable.ratio;
import static dev.rpcparallel.benchmarks.ResultTable.us;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.benchmarks.ResultTable.Verdict;
import dev.rpcparallel.launcher.LauncherRuntime;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * 2.2: spawn to ready when the master keeps a warm pool ({@code Parallel.keepWarm(1)}), beside
 * a cold spawn (2.1's measurement, a master without a pool) and a bare JVM start in the same
 * run. "Ready" is as in 2.1: spawn plus connect returned. Before each pooled spawn the figure
 * waits, untimed, until the pool holds a ready idle worker again: it measures the handover, not
 * the refill. A third row splits off the spawn call alone (handover, state init, registration),
 * without the connect that follows; a fourth times the first call after the connect (an echo of
 * {@link CallFigures#SMALL} bytes, as the peers table's first answer), not part of "ready",
 * beside the same echo once more right after it. The pooled master is a runtime of its own, so that the cold spawns of the
 * harness's {@code Parallel} master never take a pooled worker.
 */
final class WarmPoolFigure {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final long REFILL_TIMEOUT_SECONDS = 120;

    private WarmPoolFigure() {}

    static void run(Scale scale, ResultTable table) throws Exception {
        LauncherRuntime pooledMaster = new LauncherRuntime();
        pooledMaster.keepWarm(1, SpawnOptions.defaults());
        try {
            for (int i = 0; i < scale.warmupSpawns(); i++) {
                SpawnFigures.bareJvm();
                SpawnFigures.spawnToReady();
                pooledSpawnToReady(pooledMaster, new Samples(), new Samples(), new Samples());
            }
            Samples bare = new Samples();
            Samples cold = new Samples();
            Samples warm = new Samples();
            Samples handover = new Samples();
            Samples firstCall = new Samples();
            Samples nextCall = new Samples();
            for (int i = 0; i < scale.sequentialSpawns(); i++) {
                bare.add(SpawnFigures.bareJvm());
                cold.add(SpawnFigures.spawnToReady());
                warm.add(pooledSpawnToReady(pooledMaster, handover, firstCall, nextCall));
            }
            String runs = scale.sequentialSpawns() + " sequential";
            table.add("2.2", "warm pool: spawn to ready from the pool, median (" + runs + ")", ms(warm.median()),
                    "cold spawn, median; bare JVM, median", ms(cold.median()) + "; " + ms(bare.median()),
                    vsBaselines(warm.median(), cold.median(), bare.median()), "≤ 5 ms",
                    Verdict.of(warm.median() <= TimeUnit.MILLISECONDS.toNanos(5)));
            table.add("2.2", "warm pool: spawn to ready from the pool, p90 (" + runs + ")", ms(warm.percentile(90)),
                    "cold spawn, p90; bare JVM, p90", ms(cold.percentile(90)) + "; " + ms(bare.percentile(90)),
                    vsBaselines(warm.percentile(90), cold.percentile(90), bare.percentile(90)), "≤ 5 ms",
                    Verdict.of(warm.percentile(90) <= TimeUnit.MILLISECONDS.toNanos(5)));
            table.add("2.2", "warm pool: spawn call alone (handover, state init, registration), median",
                    ms(handover.median()), "bare JVM, median", ms(bare.median()),
                    ratio((double) handover.median() / bare.median()), "(none set)", Verdict.INFO);
            table.add("2.2", "warm pool: the first call once connected (echo, " + CallFigures.SMALL + " B), median",
                    us(firstCall.median()), "the call after it, median", us(nextCall.median()),
                    ratio((double) firstCall.median() / nextCall.median()), "(none set)", Verdict.INFO);
        } finally {
            pooledMaster.shutdownAll();
        }
    }

    /** The pooled spawn against both baselines: {@code 1/160 of cold, 0.07× bare}. */
    private static String vsBaselines(long warm, long cold, long bare) {
        return "1/" + Math.round((double) cold / warm) + " of cold, " + ratio((double) warm / bare) + " bare";
    }

    /** Waits (untimed) for a ready idle worker, then nanoseconds from spawn until connected. */
    private static long pooledSpawnToReady(LauncherRuntime master, Samples handoverOnly, Samples firstCall,
            Samples nextCall) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(REFILL_TIMEOUT_SECONDS);
        while (master.warmProcesses().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the warm pool had no ready worker within " + REFILL_TIMEOUT_SECONDS
                        + " s; see the pool's warnings above");
            }
            Thread.sleep(5);
        }
        long start = System.nanoTime();
        WorkerRef worker = master.spawn(Bench.TYPE, null,
                SpawnOptions.builder().name("warm-spawn-" + NAMES.incrementAndGet()).build());
        long ready;
        long pid;
        handoverOnly.add(System.nanoTime() - start);
        try (Connection connection = master.connect(worker, null)) {
            ready = System.nanoTime() - start;
            long call = System.nanoTime();
            BlockingEchoSession.check(connection.call(Bench.ECHO, new byte[CallFigures.SMALL]), CallFigures.SMALL);
            long next = System.nanoTime();
            BlockingEchoSession.check(connection.call(Bench.ECHO, new byte[CallFigures.SMALL]), CallFigures.SMALL);
            firstCall.add(next - call);
            nextCall.add(System.nanoTime() - next);
            pid = connection.call(Bench.PID, null);
        }
        master.shutdown(worker);
        SpawnFigures.awaitExit(pid);
        return ready;
    }
}
