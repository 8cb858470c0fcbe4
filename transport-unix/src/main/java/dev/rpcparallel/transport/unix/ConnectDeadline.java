package dev.rpcparallel.transport.unix;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The connect timeout of Unix domain sockets. A blocking connect to a listener whose backlog is
 * full waits until the listener accepts, and the JDK offers no timeout for it (a non-blocking
 * connect fails at once instead of waiting), so a connect that is not done by its deadline is
 * ended by closing its channel from one shared daemon thread. That thread exists only while a
 * connect is under way and for {@link #IDLE_SECONDS} after: a process that connects once (a
 * worker to its master) does not keep an idle thread for the rest of its life. Thread-safe.
 */
final class ConnectDeadline implements AutoCloseable {
    /** How long the deadline thread outlives the last connect it watched. */
    static final long IDLE_SECONDS = 1;
    /** The deadline thread's name. */
    static final String THREAD_NAME = "rpc-parallel-unix-connect-timeout";
    private static final ScheduledThreadPoolExecutor TIMER = newTimer();

    private final ScheduledFuture<?> closing;
    private volatile boolean expired;

    private static ScheduledThreadPoolExecutor newTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, THREAD_NAME);
            thread.setDaemon(true);
            return thread;
        });
        // A cancelled deadline leaves the queue at once, so the thread sees it empty and ends
        // after the keep-alive; the pool never ends its last thread while a deadline is queued.
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        return timer;
    }

    /** Closes {@code channel} once {@code timeout} has passed, unless {@link #close()} came first. */
    ConnectDeadline(Closeable channel, Duration timeout) {
        long millis = Math.max(1, timeout.toMillis());
        this.closing = TIMER.schedule(() -> {
            expired = true;
            try {
                channel.close();
            } catch (IOException e) {
                // closed either way
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    /** Whether the deadline passed and closed the channel: a connect failure is then a timeout. */
    boolean expired() {
        return expired;
    }

    /** The connect is over, done or failed: the channel is no longer closed at the deadline. */
    @Override
    public void close() {
        closing.cancel(false);
    }
}
