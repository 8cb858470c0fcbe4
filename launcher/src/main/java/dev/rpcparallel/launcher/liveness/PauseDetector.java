package dev.rpcparallel.launcher.liveness;

import java.time.Duration;

/**
 * Tells a check that runs every heartbeat interval whether its own process was paused since the
 * previous run: stopped by {@code SIGSTOP} or Ctrl-Z, held in a debugger, frozen with its VM or
 * laptop, or starved of CPU. Silence heard during such a gap is no evidence against a peer: this
 * process could not read the peer's heartbeats, nor send its own. After a pause, silence counts
 * from the moment this process runs again, so the peer gets a full timeout to be heard from.
 *
 * <p>A check counts as late when it runs more than the interval plus half the slack between the
 * interval and the timeout after the previous one: a pause that short leaves the peer's silence
 * under the timeout anyway.
 *
 * <p>Not thread-safe: one checking thread calls {@link #tick}; {@link #observingSince} may be read
 * from that thread only.
 */
public final class PauseDetector {
    private final long lateNanos;
    private long previousTick;
    private long observingSince;

    /** A detector whose first check is due one {@code interval} after {@code now} ({@link System#nanoTime}). */
    public PauseDetector(Duration interval, Duration timeout, long now) {
        long intervalNanos = interval.toNanos();
        this.lateNanos = intervalNanos + Math.max(intervalNanos, timeout.toNanos() - intervalNanos) / 2;
        this.previousTick = now;
        this.observingSince = now;
    }

    /**
     * Records a check at {@code now}.
     *
     * @return the length of the pause, in nanoseconds, if this check ran late (this process was
     *     paused or starved since the previous one); 0 otherwise
     */
    public long tick(long now) {
        long gap = now - previousTick;
        previousTick = now;
        if (gap > lateNanos) {
            observingSince = now;
            return gap;
        }
        return 0;
    }

    /** The moment from which this process has been running without a pause: silence counts from then at most. */
    public long observingSince() {
        return observingSince;
    }

    /** How long a peer last heard from at {@code lastHeard} has been silent, counting only time this process ran. */
    public long silence(long now, long lastHeard) {
        return now - Math.max(lastHeard, observingSince);
    }
}
