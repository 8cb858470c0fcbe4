package dev.rpcparallel.launcher.liveness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PauseDetectorTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Interval 1 s, timeout 10 s: a check more than 1 s + 4.5 s after the previous one ran late. */
    private final PauseDetector detector = new PauseDetector(Duration.ofSeconds(1), Duration.ofSeconds(10), 0);

    @Test
    void checksOnTimeOrSomewhatLateAreNoPause() {
        assertThat(detector.tick(1_000 * MS)).isZero();
        assertThat(detector.tick(3_000 * MS)).isZero();
        assertThat(detector.tick(8_500 * MS)).as("5.5 s after the previous: at the threshold").isZero();
        assertThat(detector.observingSince()).isZero();
    }

    @Test
    void aLateCheckIsAPauseAndSilenceCountsFromItsEnd() {
        detector.tick(1_000 * MS);
        long lastHeard = 900 * MS;
        // Stopped for 20 s: the check due at 2 s runs at 21 s.
        assertThat(detector.tick(21_000 * MS)).isEqualTo(20_000 * MS);
        assertThat(detector.silence(21_000 * MS, lastHeard)).as("nothing counts while paused").isZero();
        assertThat(detector.silence(25_000 * MS, lastHeard)).isEqualTo(4_000 * MS);
        // Heard after the resume: silence counts from then.
        assertThat(detector.silence(26_000 * MS, 25_500 * MS)).isEqualTo(500 * MS);
    }

    @Test
    void withoutAPauseSilenceCountsFromTheLastWordHeard() {
        detector.tick(1_000 * MS);
        detector.tick(2_000 * MS);
        assertThat(detector.silence(12_000 * MS, 1_500 * MS)).isEqualTo(10_500 * MS);
    }

    @Test
    void aTimeoutCloseToTheIntervalStillToleratesACheckHalfAnIntervalLate() {
        PauseDetector tight = new PauseDetector(Duration.ofMillis(1_000), Duration.ofMillis(1_200), 0);
        // Late by up to half an interval is no pause; 1.5 intervals late is.
        assertThat(tight.tick(1_500 * MS)).isZero();
        assertThat(tight.tick(2_500 * MS)).isZero();
        assertThat(tight.tick(5_000 * MS)).isEqualTo(2_500 * MS);
    }
}
