package dev.rpcparallel.launcher.client;

import dev.rpcparallel.spi.transport.WatchDecision;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * How a blocking wait for an answer starts on one connection: the only caller blocked on it does
 * not park at once, it watches its future for a short time first, yielding the processor to any
 * thread that wants it ({@link Thread#yield}: a spin in place would take the processor from the
 * very threads that bring the answer, on a busy machine), so that an answer coming soon is picked
 * up without the reading thread having to wake it (a futex wake and the scheduler's latency, a
 * third of a short round trip). Whether it watches {@link WatchDecision} decides from the watch's
 * own recent success, for {@value #DEFAULT_CAP_MICROS} µs per wait (system property {@value
 * #CAP_PROPERTY}, 0 for none): twice a reading thread's, because a lone caller's wait is a whole
 * round trip, which on loopback TCP is about 40 µs at its median, and a cap of 50 µs ran out
 * during the slower ones, which then paid a wake-up on top (BENCHMARKS.md). A watch during
 * which one yield kept the caller off the processor for longer than the cap (a busy machine: a
 * yielding thread waits behind the others, a parked one woken by its answer would not) parks at
 * once and counts as one that saw no answer, so on a machine that stays busy the watch turns
 * itself off. With two or more callers blocked on the connection, each parks at once, so many
 * callers burn no processor. A connection's reading thread never watches: its future's blocking
 * waits ({@link CallFuture}) hand reading over and park at once ({@link
 * dev.rpcparallel.launcher.protocol.ReadingThreads}). Nothing runs between waits: an idle
 * connection costs no processor.
 *
 * <p>Only the start of the wait changes: a deadline, a cancellation or the connection's loss
 * completes the future as before (the watch sees it done), and an interrupt ends the watch with
 * the interrupt still set, so the wait that follows throws {@link InterruptedException} as before.
 *
 * <p>Thread-safe: one per connection, used by every thread waiting on its calls.
 */
final class LoneCallerWait {
    /** The longest watch, in microseconds: {@code rpcparallel.callerSpinMicros}, 0 to park at once. */
    static final String CAP_PROPERTY = "rpcparallel.callerSpinMicros";
    private static final long DEFAULT_CAP_MICROS = 100;
    /** The longest time a caller watches its future before it parks; 0: never. */
    private static final long CAP_NANOS = WatchDecision.capNanos(CAP_PROPERTY, DEFAULT_CAP_MICROS);

    /** Callers blocked on this connection now, watching or parked. */
    private final AtomicInteger blocked = new AtomicInteger();
    private final long capNanos;
    private final WatchDecision decision;
    private final LongAdder answeredWhileWatching = new LongAdder();
    private final LongAdder parked = new LongAdder();

    LoneCallerWait() {
        this(CAP_NANOS);
    }

    /** With a cap of its own, in nanoseconds (0: park at once). */
    LoneCallerWait(long capNanos) {
        this.capNanos = capNanos;
        this.decision = new WatchDecision(capNanos);
    }

    /** A wait of one caller, begun by {@link #begin}: call {@link #end} when it is over. */
    final class Waiter {
        private final boolean lone;

        private Waiter(boolean lone) {
            this.lone = lone;
        }

        /** Whether this caller was the only one blocked on the connection when it began. */
        boolean isLone() {
            return lone;
        }

        /**
         * The wait is over, the answer there (or the wait given up): {@code startedNanos} is when
         * the call was sent.
         */
        void end(CompletableFuture<?> future, long startedNanos) {
            blocked.decrementAndGet();
            if (lone && future.isDone() && !future.isCompletedExceptionally()) {
                decision.answered(System.nanoTime() - startedNanos);
            }
        }
    }

    /**
     * Begins a blocking wait for {@code future}: when this caller is the only one blocked on the
     * connection and the watch is on, watches the future for up to its budget, or until another
     * caller blocks too or this thread is interrupted. Returns with the future done or the caller
     * ready to park.
     *
     * @param timeoutNanos the wait's own limit ({@code Long.MAX_VALUE} for none)
     */
    Waiter begin(CompletableFuture<?> future, long timeoutNanos) {
        boolean lone = blocked.incrementAndGet() == 1;
        if (lone) {
            WatchDecision.Watch watch = decision.next();
            if (watch.budgetNanos() > 0 && timeoutNanos > 0) {
                watch(future, watch, Math.min(watch.budgetNanos(), timeoutNanos), timeoutNanos < watch.budgetNanos());
            } else {
                parked.increment();
            }
        }
        return new Waiter(lone);
    }

    private void watch(CompletableFuture<?> future, WatchDecision.Watch watch, long budget, boolean shortened) {
        long now = System.nanoTime();
        long until = now + budget;
        Thread self = Thread.currentThread();
        while (!future.isDone()) {
            boolean cut = blocked.get() > 1 || self.isInterrupted();
            if (cut || now - until > 0) {
                parked.increment();
                if (!cut && !shortened) {
                    decision.watched(watch, false);
                }
                return;
            }
            // Yielding, not spinning in place: on a busy machine the thread that brings the
            // answer (the connection's reading thread, the worker) gets the processor first.
            Thread.yield();
            long before = now;
            now = System.nanoTime();
            if (now - before > capNanos && !future.isDone()) {
                // Other threads held the processor for longer than a whole watch: the machine is
                // busy, and a thread that yields waits behind them, where a parked one woken by its
                // answer would not. Park, and count the watch as one that saw no answer.
                parked.increment();
                if (!shortened) {
                    decision.watched(watch, false);
                }
                return;
            }
        }
        answeredWhileWatching.increment();
        decision.watched(watch, true);
    }

    /** The decision of this connection's watch, for tests. */
    WatchDecision decision() {
        return decision;
    }

    /** Answers a lone caller found while it watched, since the connection opened. */
    long answeredWhileWatching() {
        return answeredWhileWatching.sum();
    }

    /** Lone callers that parked after watching (or without, the watch being off). */
    long parkedAfterWatching() {
        return parked.sum();
    }
}
