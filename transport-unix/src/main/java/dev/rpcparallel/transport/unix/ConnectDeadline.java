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
 * ended by closing its channel from one shared daemon thread. Thread-safe.
 */
final class ConnectDeadline implements AutoCloseable {
    private static final ScheduledThreadPoolExecutor TIMER = newTimer();

    private final ScheduledFuture<?> closing;
    private volatile boolean expired;

    private static ScheduledThreadPoolExecutor newTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "rpc-parallel-unix-connect-timeout");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
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
