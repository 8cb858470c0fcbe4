package dev.rpcparallel.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * The measuring loops of a {@link PeerSession} in this JVM, on top of one blocking echo; the
 * throughput loop is left to each peer, since each has its own natural way to keep calls in
 * flight (its helpers are here).
 */
abstract class BlockingEchoSession implements PeerSession {

    /** One blocking echo; the answer. */
    abstract byte[] echo(byte[] payload) throws Exception;

    @Override
    public void roundTrips(byte[] payload, int calls, Samples into) throws Exception {
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            byte[] answer = echo(payload);
            into.add(start, System.nanoTime() - start);
            check(answer, payload.length);
        }
    }

    @Override
    public double echoBytesPerSecond(byte[] payload, double seconds, int minCalls) throws Exception {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long calls = 0;
        while (calls < minCalls || System.nanoTime() < end) {
            check(echo(payload), payload.length);
            calls++;
        }
        return calls * (double) payload.length / ((System.nanoTime() - start) / 1e9);
    }

    static void check(byte[] answer, int expectedLength) {
        if (answer.length != expectedLength) {
            throw new IllegalStateException("echo answered " + answer.length + " bytes, not " + expectedLength);
        }
    }

    /** A blocking caller owned by one thread (its own connection, or a shared thread-safe stub). */
    interface Caller extends AutoCloseable {
        byte[] echo(byte[] payload) throws Exception;

        @Override
        default void close() throws Exception {}
    }

    interface CallerFactory {
        Caller open() throws Exception;
    }

    /**
     * Calls per second with {@code threads} threads, each making blocking echoes on its own
     * {@link Caller}: how a synchronous client keeps that many calls in flight.
     */
    static double threadedRate(CallerFactory callers, byte[] payload, int threads, double seconds) throws Exception {
        List<Caller> opened = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                opened.add(callers.open());
            }
            AtomicLong completed = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            List<Thread> running = new ArrayList<>();
            for (Caller caller : opened) {
                Thread thread = new Thread(() -> {
                    try {
                        while (System.nanoTime() < end && failure.get() == null) {
                            check(caller.echo(payload), payload.length);
                            completed.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "peer-caller");
                thread.setDaemon(true);
                thread.start();
                running.add(thread);
            }
            for (Thread thread : running) {
                thread.join(TimeUnit.MINUTES.toMillis(5));
            }
            long elapsed = System.nanoTime() - start;
            if (failure.get() != null) {
                throw new IllegalStateException("a call failed during the throughput figure", failure.get());
            }
            return completed.get() / (elapsed / 1e9);
        } finally {
            for (Caller caller : opened) {
                caller.close();
            }
        }
    }

    /** Starts one asynchronous echo; {@code done} gets its answer or its failure. */
    interface AsyncCaller {
        void echo(byte[] payload, BiConsumer<byte[], Throwable> done) throws Exception;
    }

    /** Calls per second from one issuing thread keeping {@code inFlight} asynchronous calls outstanding. */
    static double asyncRate(AsyncCaller caller, byte[] payload, int inFlight, double seconds) throws Exception {
        Semaphore permits = new Semaphore(inFlight);
        AtomicLong completed = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        while (System.nanoTime() < end && failure.get() == null) {
            permits.acquire();
            caller.echo(payload, (answer, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                } else if (answer.length != payload.length) {
                    failure.compareAndSet(null, new IllegalStateException("echo answered " + answer.length
                            + " bytes, not " + payload.length));
                }
                completed.incrementAndGet();
                permits.release();
            });
        }
        if (!permits.tryAcquire(inFlight, 5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("calls still outstanding after 5 minutes");
        }
        long elapsed = System.nanoTime() - start;
        if (failure.get() != null) {
            throw new IllegalStateException("a call failed during the throughput figure", failure.get());
        }
        return completed.get() / (elapsed / 1e9);
    }
}
