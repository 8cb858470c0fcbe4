package dev.rpcparallel.spi.transport;

import dev.rpcparallel.api.annotation.API;

/**
 * Whether, and how long, a thread about to wait for something that often comes soon watches for
 * it before it sleeps: the lone caller of one connection waiting for its answer (the launcher's
 * {@code LoneCallerWait}), a stream channel's reading thread waiting for its next bytes
 * ({@code ReadingWatch} of {@code transport-stream}). In the SPI because both use it and the
 * runtime imports no transport implementation; internal: no compatibility is promised. Below,
 * a <em>wait</em> is one such wait and its <em>round trip</em> how long it lasted, from its start
 * to what it waited for. Decided from what the watch itself achieved, not from waits measured
 * while threads slept (a sleeping thread's wait includes the wake-up the watch would save, so a
 * rule on it turns the watch off exactly where it would help).
 *
 * <ul>
 *   <li><b>Whether</b>: from the watch's recent success, the share of recent watches that saw
 *       what they waited for come (a moving average, each watch weighing an eighth). While at
 *       least half of them did, the thread watches. Below that it sleeps at once, and watches once
 *       in a while to learn whether things come in time again (a probe: after {@value
 *       #FIRST_PROBE_AFTER} waits, the interval doubling after each probe that saw nothing, up to
 *       {@value #LONGEST_PROBE_INTERVAL}). So a thread whose waits end too late for the watch
 *       spends at most one watch per that many waits on it.
 *   <li><b>Not at all</b> while the last {@value #SLOW_IN_A_ROW} waits each took more than
 *       {@value #SLOW_CAP_MULTIPLE} times the cap: waits that long cannot end within a watch
 *       however it is measured, so a caller of slow functions, or the reader of an idle
 *       connection, spends no processor on it. The first short wait ends that.
 *   <li><b>How long</b>: the cap, every watch. A watch ends when what it waits for comes, so a
 *       longer budget costs nothing where things come in time; where they come late, the
 *       success above turns the watch off. A budget cut to the recent waits' spread (twice
 *       their mean, or the mean plus four mean deviations) was measured and dropped: a thread
 *       whose peer was held up for a few microseconds more than usual slept, and paid a
 *       wake-up of tens of microseconds for a wait the cap would have seen end (the slowest
 *       1% of a lone caller's round trips on the unix transport, BENCHMARKS.md).
 * </ul>
 *
 * <p>The cap bounds the processor one waiting thread spends per wait.
 *
 * <p>Thread-safe, and racy by design: its fields are read and written without locks (by the
 * callers of one connection); a lost update among concurrent threads changes one decision, never
 * a guarantee (every wait is bounded by the cap and sleeps after it).
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class WatchDecision {
    /** A watch's success, in 1/1024: at least this share of recent watches saw their answer. */
    private static final int WATCH_WHILE_SUCCESS_AT_LEAST = 512;
    private static final int FULL_SUCCESS = 1024;
    /** While the watch is off, it watches again after this many waits (a probe). */
    public static final int FIRST_PROBE_AFTER = 16;
    /** The longest interval between probes, in waits. */
    public static final int LONGEST_PROBE_INTERVAL = 512;
    /** Waits longer than this multiple of the cap are slow: no watch catches them. */
    public static final int SLOW_CAP_MULTIPLE = 20;
    /** This many slow waits in a row turn the watch off until a quick one. */
    public static final int SLOW_IN_A_ROW = 2;

    private final long capNanos;
    /** The two watches there are: the cap's, and the cap's as a probe. */
    private final Watch capWatch;
    private final Watch capProbe;
    /** The share of recent watches that saw their answer, in 1/1024; starts full. */
    private volatile int success = FULL_SUCCESS;
    /** Waits until the next probe while the watch is off. */
    private volatile int untilProbe = FIRST_PROBE_AFTER;
    private volatile int probeInterval = FIRST_PROBE_AFTER;
    /** Waits in a row that were slow. */
    private volatile int slowInARow;

    /**
     * A watch's cap from the system property {@code property}, in microseconds ({@code
     * defaultMicros} when unset), kept within 0 to 1,000: in nanoseconds.
     */
    public static long capNanos(String property, long defaultMicros) {
        long micros = Long.getLong(property, defaultMicros);
        return Math.max(0, Math.min(micros, 1_000)) * 1_000;
    }

    /** @param capNanos the longest watch, in nanoseconds; 0 or less: never watch */
    public WatchDecision(long capNanos) {
        this.capNanos = capNanos;
        this.capWatch = new Watch(capNanos, false);
        this.capProbe = new Watch(capNanos, true);
    }

    /** What a thread about to wait does: how long it watches (0: sleeps at once), and whether as a probe. */
    public record Watch(long budgetNanos, boolean probe) {
        static final Watch NONE = new Watch(0, false);
    }

    /** Decides the watch of a thread about to wait; a probe is counted as begun. */
    public Watch next() {
        if (capNanos <= 0 || slowInARow >= SLOW_IN_A_ROW) {
            return Watch.NONE;
        }
        if (success >= WATCH_WHILE_SUCCESS_AT_LEAST) {
            return capWatch;
        }
        int left = untilProbe - 1;
        if (left > 0) {
            untilProbe = left;
            return Watch.NONE;
        }
        untilProbe = probeInterval;
        return capProbe;
    }

    /**
     * A watch of {@code watch} ended: {@code sawAnswer} whether the answer came while it watched
     * (a watch cut short by an interrupt or another caller is not reported).
     */
    public void watched(Watch watch, boolean sawAnswer) {
        int before = success;
        success = before + ((sawAnswer ? FULL_SUCCESS : 0) - before) / 8;
        if (watch.probe()) {
            if (sawAnswer) {
                // Answers may come in time again: back on, off again at the next watch that sees none.
                success = WATCH_WHILE_SUCCESS_AT_LEAST;
                probeInterval = FIRST_PROBE_AFTER;
            } else {
                probeInterval = Math.min(LONGEST_PROBE_INTERVAL, 2 * probeInterval);
            }
            untilProbe = probeInterval;
        }
    }

    /**
     * A wait ended after {@code roundTripNanos}, watched or slept (a lone caller's: from its call's
     * send to its return).
     */
    public void answered(long roundTripNanos) {
        slowInARow = roundTripNanos > SLOW_CAP_MULTIPLE * capNanos ? Math.min(slowInARow + 1, SLOW_IN_A_ROW) : 0;
    }

    /** Whether a thread about to wait now watches (not counting probes). */
    public boolean watching() {
        return capNanos > 0 && slowInARow < SLOW_IN_A_ROW && success >= WATCH_WHILE_SUCCESS_AT_LEAST;
    }
}
