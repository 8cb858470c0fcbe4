package dev.rpcparallel.mapreduce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.mapreduce.ProgressReporter.Mode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress display, with a clock the test moves by hand. */
class ProgressReporterTest {
    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    private final StringWriter written = new StringWriter();

    private ProgressReporter reporter(Mode mode, int width) {
        return ProgressReporter.builder(new PrintWriter(written), "files").mode(mode).width(width).clock(nanos::get).build();
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Test
    void barShowsDoneTotalRateAndEtaFromTheClock() {
        ProgressReporter bar = reporter(Mode.BAR, 79);
        bar.update(0, OptionalLong.of(48));
        advance(Duration.ofSeconds(4));
        bar.update(12, OptionalLong.of(48));

        // 12 in 4 s: 3.0/s; 36 left: 12 s. The bar takes what the text leaves of 79 columns, at most 40.
        assertThat(written.toString()).endsWith(
                "\r[##########..............................] 12/48 files, 3.0/s, ETA 12 s");
    }

    @Test
    void barIsRedrawnInPlaceAndClearsALongerPreviousLine() {
        ProgressReporter bar = reporter(Mode.BAR, 40);
        bar.update(0, OptionalLong.empty(), 0);
        advance(Duration.ofSeconds(2));
        bar.update(5, OptionalLong.empty(), 2);
        advance(Duration.ofSeconds(3));
        bar.update(10, OptionalLong.empty(), 0);
        bar.finish();

        assertThat(written.toString()).isEqualTo(
                "\r0 files"
                        + "\r5 files, 2.5/s, 2 retried"
                        + "\r10 files, 2.0/s" + " ".repeat(10)
                        + System.lineSeparator());
    }

    @Test
    void theBarShrinksToTheWidthAndGoesWhenItCannotFit() {
        ProgressReporter narrow = reporter(Mode.BAR, 50);
        advance(Duration.ofSeconds(1));
        assertThat(narrow.render(30, OptionalLong.of(60), 0, 10_000_000_000L))
                .isEqualTo("[#########..........] 30/60 files, 3.0/s, ETA 10 s")
                .hasSize(50);
        ProgressReporter tiny = reporter(Mode.BAR, 30);
        assertThat(tiny.render(30, OptionalLong.of(60), 0, 10_000_000_000L)).isEqualTo("30/60 files, 3.0/s, ETA 10 s");
        assertThat(tiny.render(123_456, OptionalLong.of(999_999), 77, 1_000_000_000L))
                .hasSize(30)
                .endsWith("…");
    }

    @Test
    void etaIsInMinutesAndHoursForLongJobs() {
        ProgressReporter lines = reporter(Mode.LINES, 79);
        assertThat(lines.render(1, OptionalLong.of(186), 0, 1_000_000_000L)).isEqualTo("1/186 files, 1.0/s, ETA 3 min 05 s");
        assertThat(lines.render(1, OptionalLong.of(7_621), 0, 1_000_000_000L)).isEqualTo("1/7621 files, 1.0/s, ETA 2 h 07 min");
        assertThat(lines.render(1, OptionalLong.of(10), 0, 8_000_000_000L)).isEqualTo("1/10 files, 0.13/s, ETA 1 min 12 s");
        assertThat(lines.render(50_000, OptionalLong.empty(), 0, 2_000_000_000L)).isEqualTo("50000 files, 25000/s");
    }

    @Test
    void withoutATerminalPlainLinesAtMostOncePerIntervalAndAlwaysTheLast() {
        ProgressReporter lines = reporter(Mode.LINES, 79);
        lines.accept(new Progress(0, OptionalLong.of(48), 2, 0, Duration.ZERO));
        advance(Duration.ofMillis(400));
        lines.accept(new Progress(2, OptionalLong.of(48), 2, 0, Duration.ZERO)); // held back: within the second
        advance(Duration.ofMillis(600));
        lines.accept(new Progress(4, OptionalLong.of(48), 2, 0, Duration.ZERO));
        advance(Duration.ofMillis(500));
        lines.accept(new Progress(30, OptionalLong.of(48), 2, 0, Duration.ZERO)); // held back
        lines.finish(); // the job ended early (a find stopped it): the held-back line is printed

        assertThat(written.toString().lines()).containsExactly(
                "progress: 0/48 files",
                "progress: 4/48 files, 4.0/s, ETA 11 s",
                "progress: 30/48 files, 20.0/s, ETA 1 s");
    }

    @Test
    void theLastLineIsPrintedAtOnceAndNotTwice() {
        ProgressReporter lines = reporter(Mode.LINES, 79);
        lines.update(0, OptionalLong.of(3));
        advance(Duration.ofMillis(100));
        lines.accept(new Progress(3, OptionalLong.of(3), 1, 1, Duration.ZERO));
        lines.finish();

        assertThat(written.toString().lines()).containsExactly(
                "progress: 0/3 files",
                "progress: 3/3 files, 30.0/s, 1 retried");
    }

    @Test
    void offPrintsNothing() {
        ProgressReporter off = reporter(Mode.OFF, 79);
        off.update(1, OptionalLong.of(2));
        off.finish();
        assertThat(written.toString()).isEmpty();
    }

    @Test
    void modeFollowsTheOptionAndTheTerminal() {
        assertThat(ProgressReporter.mode(null, true)).isEqualTo(Mode.BAR);
        assertThat(ProgressReporter.mode(null, false)).isEqualTo(Mode.LINES);
        assertThat(ProgressReporter.mode(true, true)).isEqualTo(Mode.BAR);
        assertThat(ProgressReporter.mode(true, false)).isEqualTo(Mode.LINES);
        assertThat(ProgressReporter.mode(false, true)).isEqualTo(Mode.OFF);
        assertThat(ProgressReporter.mode(false, false)).isEqualTo(Mode.OFF);
    }

    @Test
    void aWidthTooSmallIsRefusedNamingTheMinimum() {
        assertThatThrownBy(() -> ProgressReporter.builder(new PrintWriter(written), "files").width(12))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("width must be at least 20 characters, not 12");
    }
}
