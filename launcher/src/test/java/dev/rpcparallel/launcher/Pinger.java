package dev.rpcparallel.launcher;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.launcher.testplugins.Bulk;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Calls a {@code bulk} worker's ping on a connection again and again, every 10 ms, until
 * stopped: the other call that must keep answering while a stream is slow.
 */
final class Pinger extends Thread {
    private final Connection connection;
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong slowestMillis = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stop;

    Pinger(Connection connection) {
        super("pinger");
        setDaemon(true);
        this.connection = connection;
    }

    @Override
    public void run() {
        while (!stop) {
            long start = System.nanoTime();
            try {
                String answer = connection.call(Bulk.PING, "ping");
                if (!answer.equals("ping")) {
                    failure.set(new AssertionError("ping answered " + answer));
                    return;
                }
            } catch (RuntimeException e) {
                failure.set(e);
                return;
            }
            answered.incrementAndGet();
            slowestMillis.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
            LockSupport.parkNanos(10_000_000);
        }
    }

    long answered() {
        return answered.get();
    }

    Throwable failure() {
        return failure.get();
    }

    void stopAndJoin() throws InterruptedException {
        stop = true;
        join(60_000);
    }

    @Override
    public String toString() {
        Throwable failed = failure.get();
        return answered.get() + " answered, " + (failed == null ? "none failed" : "failed: " + failed) + ", slowest "
                + slowestMillis.get() + " ms";
    }
}
