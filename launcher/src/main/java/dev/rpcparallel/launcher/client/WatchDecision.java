package dev.rpcparallel.launcher.client;

/**
 * Whether, and how long, the lone caller of one connection watches its future before it parks
 * ({@link LoneCallerWait}): decided from what the watch itself achieved, not from a round trip
 * measured while callers parked (a parked caller's round trip includes the wake-up the watch
 * would save, so a rule on it turns the watch off exactly where it would help).
 *
 * <ul>
 *   <li><b>Whether</b>: from the watch's recent success, the share of recent watches that saw
 *       the answer come (a moving average, each watch weighing an eighth). While at least half
 *       of them did, the caller watches. Below that it parks at once, and watches once in a while
 *       to learn whether answers come in time again (a probe: after {@value #FIRST_PROBE_AFTER}
 *       lone waits, the interval doubling after each probe that saw no answer, up to
 *       {@value #LONGEST_PROBE_INTERVAL}). So a connection whose answers come too late for the
 *       watch spends at most one watch per that many calls on it.
 *   <li><b>Not at all</b> while the last {@value #SLOW_IN_A_ROW} lone round trips each took more
 *       than {@value #SLOW_CAP_MULTIPLE} times the cap: answers that slow cannot come within a
 *       watch however it is measured, so a caller of slow functions spends no processor on it.
 *       The first quick answer ends that.
 *   <li><b>How long</b>: the budget covers the spread of the recent lone round trips, not only
 *       their mean: the larger of twice the mean and the mean plus four mean deviations (each
 *       round trip counted as at most twice the cap, so that one descheduled call does not
 *       decide the next ones), never more than the cap. A probe watches for the cap.
 * </ul>
 *
 * <p>The cap bounds the processor one blocked caller spends per call; a connection's callers
 * watch only while one alone is blocked on it (two or more park at once).
 *
 * <p>Thread-safe, and racy by design: its fields are read and written without locks by the
 * callers of one connection; a lost update among concurrent callers changes one decision, never a
 * guarantee (every wait is bounded by the cap and parks after it).
 */
final class WatchDecision {
    /** A watch's success, in 1/1024: at least this share of recent watches saw their answer. */
    private static final int WATCH_WHILE_SUCCESS_AT_LEAST = 512;
    private static final int FULL_SUCCESS = 1024;
    /** While the watch is off, it watches again after this many lone waits (a probe). */
    static final int FIRST_PROBE_AFTER = 16;
    /** The longest interval between probes, in lone waits. */
    static final int LONGEST_PROBE_INTERVAL = 512;
    /** Lone round trips longer than this multiple of the cap are slow: no watch catches them. */
    static final int SLOW_CAP_MULTIPLE = 20;
    /** This many slow lone round trips in a row turn the watch off until a quick one. */
    static final int SLOW_IN_A_ROW = 2;

    private final long capNanos;
    /** The share of recent watches that saw their answer, in 1/1024; starts full. */
    private volatile int success = FULL_SUCCESS;
    /** Lone waits until the next probe while the watch is off. */
    private volatile int untilProbe = FIRST_PROBE_AFTER;
    private volatile int probeInterval = FIRST_PROBE_AFTER;
    /** The recent lone round trips' mean and mean deviation, in nanoseconds; 0: none yet. */
    private volatile long meanNanos;
    private volatile long deviationNanos;
    /** Lone round trips in a row that were slow. */
    private volatile int slowInARow;

    WatchDecision(long capNanos) {
        this.capNanos = capNanos;
    }

    /** What a lone caller about to block does: how long it watches (0: parks at once), and whether as a probe. */
    record Watch(long budgetNanos, boolean probe) {
        static final Watch NONE = new Watch(0, false);
    }

    /** Decides the watch of a lone caller about to block; a probe is counted as begun. */
    Watch next() {
        if (capNanos <= 0 || slowInARow >= SLOW_IN_A_ROW) {
            return Watch.NONE;
        }
        if (success >= WATCH_WHILE_SUCCESS_AT_LEAST) {
            return new Watch(budgetNanos(), false);
        }
        int left = untilProbe - 1;
        if (left > 0) {
            untilProbe = left;
            return Watch.NONE;
        }
        untilProbe = probeInterval;
        return new Watch(capNanos, true);
    }

    /** How long a lone caller watches while the watch is on: the recent answers' spread, at most the cap. */
    long budgetNanos() {
        long mean = meanNanos;
        if (mean == 0) {
            return capNanos;
        }
        long spread = Math.max(2 * mean, mean + 4 * deviationNanos);
        return Math.min(capNanos, spread);
    }

    /**
     * A watch of {@code watch} ended: {@code sawAnswer} whether the answer came while it watched
     * (a watch cut short by an interrupt or another caller is not reported).
     */
    void watched(Watch watch, boolean sawAnswer) {
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

    /** A lone call was answered after {@code roundTripNanos} (from its send to its caller's return). */
    void answered(long roundTripNanos) {
        slowInARow = roundTripNanos > SLOW_CAP_MULTIPLE * capNanos ? Math.min(slowInARow + 1, SLOW_IN_A_ROW) : 0;
        long sample = Math.min(roundTripNanos, 2 * capNanos);
        long mean = meanNanos;
        if (mean == 0) {
            meanNanos = sample;
            deviationNanos = sample / 2;
            return;
        }
        // The estimators of TCP's retransmission timer: weights 1/8 and 1/4.
        deviationNanos += (Math.abs(sample - mean) - deviationNanos) / 4;
        meanNanos = mean + (sample - mean) / 8;
    }

    /** Whether a lone caller now watches (not counting probes). */
    boolean watching() {
        return capNanos > 0 && slowInARow < SLOW_IN_A_ROW && success >= WATCH_WHILE_SUCCESS_AT_LEAST;
    }
}
