package dev.rpcparallel.launcher.warm;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * When the pools start the replacement of a worker they handed over: once that worker answered
 * its first call on the link its first connect adopted, or {@link #QUIET} after its spawn
 * returned without one, or when it exits, whichever comes first; after a spawn that took no
 * pooled worker, at once.
 *
 * <p>Why not at the handover: a JVM starting takes a core for a hundred milliseconds and more,
 * and forking it takes the master's CPU too; on a machine of two cores, started while the
 * spawn's caller connects and makes its first call, it delayed that first answer, the one the
 * pool is kept for. Thread-safe.
 */
final class RefillAfterFirstAnswer {
    /** How long after its spawn returned a handed-over worker that answered nothing lets the pool refill. */
    static final Duration QUIET = Duration.ofSeconds(1);

    private final Runnable refill;
    private final ScheduledExecutorService timer;
    /** The handed-over workers whose replacement waits, by worker id; the value is the quiet timer, once set. */
    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();

    /** A handed-over worker whose replacement waits. */
    private static final class Waiting {
        volatile ScheduledFuture<?> quiet;
    }

    /**
     * @param refill starts, in the background, the workers the pools lack (returns at once)
     * @param timer runs the quiet time's end
     */
    RefillAfterFirstAnswer(Runnable refill, ScheduledExecutorService timer) {
        this.refill = refill;
        this.timer = timer;
    }

    /** A pooled worker was handed over as {@code workerId}: its replacement waits for its first answer. */
    void handedOver(String workerId, Process process) {
        waiting.put(workerId, new Waiting());
        process.onExit().thenRun(() -> release(workerId));
    }

    /**
     * The spawn of {@code workerId} returned or failed: a handed-over worker's replacement starts
     * after its first answer or the quiet time; for any other spawn, the pools refill now.
     */
    void spawnEnded(String workerId) {
        Waiting handedOver = waiting.get(workerId);
        if (handedOver == null) {
            refillNow();
            return;
        }
        try {
            handedOver.quiet = timer.schedule(() -> release(workerId), QUIET.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            release(workerId); // the runtime is shutting down
        }
    }

    /** {@code workerId} answered its first call: its replacement starts. Short: runs on a reading thread. */
    void firstAnswer(String workerId) {
        release(workerId);
    }

    /** Forgets every waiting worker (the pools are stopping): no replacement starts for them. */
    void clear() {
        waiting.values().forEach(RefillAfterFirstAnswer::cancelQuiet);
        waiting.clear();
    }

    /** How many handed-over workers' replacements wait, for tests and diagnostics. */
    int waitingCount() {
        return waiting.size();
    }

    private void release(String workerId) {
        Waiting released = waiting.remove(workerId);
        if (released != null) {
            cancelQuiet(released);
            refillNow();
        }
    }

    private static void cancelQuiet(Waiting worker) {
        ScheduledFuture<?> quiet = worker.quiet;
        if (quiet != null) {
            quiet.cancel(false);
        }
    }

    private void refillNow() {
        try {
            refill.run();
        } catch (RejectedExecutionException e) {
            // the runtime is shutting down: nothing to refill for
        }
    }
}
