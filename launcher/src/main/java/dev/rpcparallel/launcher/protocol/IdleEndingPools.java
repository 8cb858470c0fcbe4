package dev.rpcparallel.launcher.protocol;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The runtime's shared thread pools, whose threads end once idle for {@link #KEEP_ALIVE_SECONDS}
 * and start again at the next task. A process that has finished with the runtime (a master
 * whose {@code startApp} returned, its workers shut down) is then left with none of its
 * threads: nothing that outlives the program's work, which a host that waits for the threads
 * its program started (Maven's {@code exec:java} waits 15 s, then warns) would wait for.
 *
 * <p>Threads are daemon threads named after their job ({@link DaemonThreads}). Thread-safe.
 */
public final class IdleEndingPools {
    /** How long an idle thread of these pools lives. */
    public static final long KEEP_ALIVE_SECONDS = 1;

    private IdleEndingPools() {}

    /**
     * A timer of one thread named {@code name}: a cancelled task leaves its queue at once, and
     * the thread ends once the queue has been empty for the keep-alive (never while a task is
     * queued, periodic ones included).
     */
    public static ScheduledThreadPoolExecutor timer(String name) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.called(name));
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        return timer;
    }

    /** An unbounded pool of threads named {@code prefix} and a number, as {@code Executors.newCachedThreadPool}. */
    public static ExecutorService cached(String prefix) {
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), DaemonThreads.named(prefix));
    }
}
