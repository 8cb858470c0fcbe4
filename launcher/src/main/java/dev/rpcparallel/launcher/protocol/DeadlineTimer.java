package dev.rpcparallel.launcher.protocol;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs what must happen when a call's deadline passes, in the caller (fail the call, tell the
 * worker) and in the worker (cancel the call). One timer thread per process; a deadline met is
 * removed from its queue at once, so pending deadlines cost memory only while their calls run.
 * The actions run on a separate pool, not on the timer thread: they complete futures, which runs
 * the caller's dependent stages, which may block.
 */
public final class DeadlineTimer {
    private static final ScheduledThreadPoolExecutor TIMER = IdleEndingPools.timer("rpc-parallel-deadline-timer");
    private static final ExecutorService ACTIONS = IdleEndingPools.cached("rpc-parallel-deadline-");

    private DeadlineTimer() {}

    /** Runs {@code action} at {@code atNanos} ({@link System#nanoTime()}); cancel the result when the call ends first. */
    public static ScheduledFuture<?> at(long atNanos, Runnable action) {
        return TIMER.schedule(() -> ACTIONS.execute(action), Math.max(0, atNanos - System.nanoTime()),
                TimeUnit.NANOSECONDS);
    }
}
