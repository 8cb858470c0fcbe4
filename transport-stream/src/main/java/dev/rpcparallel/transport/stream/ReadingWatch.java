package dev.rpcparallel.transport.stream;

import dev.rpcparallel.spi.transport.WatchDecision;
import java.io.IOException;
import java.io.InputStream;

/**
 * How a channel's reading thread starts to wait for its next bytes, its buffer empty: it does not
 * go to sleep in the kernel at once, it watches its source for a short time first (asking it
 * whether bytes are {@link InputStream#available() available}, yielding the processor between
 * asks to any thread that wants it), so that bytes coming soon are read without the kernel having
 * to wake the thread. On a virtual machine a wake-up is the costly part of a short round trip:
 * the sleeping thread's processor has gone idle, and the hypervisor takes its time to bring it
 * back, often tens of microseconds, now and then hundreds. A worker called in a loop reads each
 * call a few microseconds after it answered the one before; its master's reading thread reads
 * each answer soon after the call went out.
 *
 * <p>Whether it watches, and for how long, {@link WatchDecision} decides from the watch's own
 * recent success and the spread of the recent waits, at most {@value #DEFAULT_CAP_MICROS} µs per
 * wait (system property {@value #CAP_PROPERTY}, 0 for none): the reader of an idle connection
 * (heartbeats a second apart) or of slow calls does not watch, nor a source that cannot tell
 * what it holds (its {@code available()} stays 0). Which sources are watched: {@link
 * FrameInput#FrameInput(java.io.InputStream, int)} (a channel's, the unix transport's). A watch during which
 * one yield kept the thread off the processor for longer than the cap (a busy machine: a yielding
 * thread waits behind the others, a sleeping one woken by its bytes would not) ends, as one that
 * saw nothing, so on a machine that stays busy the watch turns itself off.
 *
 * <p>Only the start of the wait changes: the read that follows reads as before, and a source
 * that fails while watched fails that read.
 *
 * <p>Used by the channel's one reading thread at a time (its {@link FrameInput}); its counts may
 * be read from any thread.
 */
final class ReadingWatch {
    /** The longest watch, in microseconds: {@code rpcparallel.readerSpinMicros}, 0 to sleep at once. */
    static final String CAP_PROPERTY = "rpcparallel.readerSpinMicros";
    private static final long DEFAULT_CAP_MICROS = 50;
    private static final long CAP_NANOS = WatchDecision.capNanos(CAP_PROPERTY, DEFAULT_CAP_MICROS);

    private final long capNanos;
    private final WatchDecision decision;
    private volatile long seenWhileWatching;
    private volatile long slept;

    ReadingWatch() {
        this(CAP_NANOS);
    }

    /** With a cap of its own, in nanoseconds (0: sleep at once). */
    ReadingWatch(long capNanos) {
        this.capNanos = Math.max(0, capNanos);
        this.decision = new WatchDecision(capNanos);
    }

    /**
     * Before a read of {@code source} that may wait: watches it, if the decision says so, until
     * it has bytes or the watch's budget is spent. Returns when the wait began, for {@link #end}.
     */
    long begin(InputStream source) {
        if (capNanos == 0) {
            // Never watches (a source it cannot watch, or the watch off): no clock, no decision.
            slept++;
            return 0;
        }
        long start = System.nanoTime();
        WatchDecision.Watch watch = decision.next();
        if (watch.budgetNanos() > 0) {
            watch(source, watch, start);
        } else {
            slept++;
        }
        return start;
    }

    /** The read begun at {@code start} ({@link #begin}) has its bytes. */
    void end(long start) {
        if (capNanos == 0) {
            return;
        }
        decision.answered(System.nanoTime() - start);
    }

    private void watch(InputStream source, WatchDecision.Watch watch, long start) {
        long until = start + watch.budgetNanos();
        long now = start;
        try {
            while (source.available() == 0) {
                if (now - until > 0) {
                    sleeps(watch);
                    return;
                }
                Thread.yield();
                long before = now;
                now = System.nanoTime();
                if (now - before > capNanos) {
                    // Other threads held the processor for longer than a whole watch: the machine
                    // is busy, and a yielding thread waits behind them. Sleep, as one that saw nothing.
                    sleeps(watch);
                    return;
                }
            }
        } catch (IOException e) {
            // The read that follows meets the same failure and reports it.
            slept++;
            return;
        }
        seenWhileWatching++;
        decision.watched(watch, true);
    }

    private void sleeps(WatchDecision.Watch watch) {
        slept++;
        decision.watched(watch, false);
    }

    /** The decision of this reader's watch, for tests. */
    WatchDecision decision() {
        return decision;
    }

    /** Reads whose bytes came while the thread watched. */
    long seenWhileWatching() {
        return seenWhileWatching;
    }

    /** Reads that went on to wait in the kernel, after a watch or without one. */
    long slept() {
        return slept;
    }
}
