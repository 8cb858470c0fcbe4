package dev.rpcparallel.mapreduce;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Shows how far a long job is, for command-line programs: on a terminal a bar redrawn in place,
 * {@code [#######.......] 12/48 files, 3.0/s, ETA 12 s}; otherwise (a pipe, a log file) a plain
 * line at most once per interval, {@code progress: 12/48 files, 3.0/s, ETA 12 s}, and always the
 * last one. It is a {@code Consumer<Progress>}, so it plugs into
 * {@link MapReduce.Builder#onProgress}; other jobs call {@link #update(long, OptionalLong)}.
 *
 * <pre>{@code
 * ProgressReporter progress = ProgressReporter.builder(err, "files").mode(ProgressReporter.mode(option)).build();
 * MapReduce<String, Long> job = MapReduce.builder(TYPE, COUNT).onProgress(progress).build();
 * long total = job.mapReduceCommutative(files, Long::sum).orElse(0L);
 * progress.finish();
 * }</pre>
 *
 * <p>The rate is the number done per second since the first update (by the reporter's clock),
 * the ETA the work left at that rate; both are left out until there is something to show. The
 * line never exceeds the configured width: the bar shrinks, then goes.
 *
 * <p>Thread-safe: updates may come from any thread; each is drawn whole.
 */
public final class ProgressReporter implements Consumer<Progress> {

    /** How progress is shown. */
    public enum Mode {
        /** A bar redrawn in place with a carriage return: for a terminal. */
        BAR,
        /** Plain lines, at most one per interval and the last: for pipes and logs. */
        LINES,
        /** Nothing. */
        OFF
    }

    private static final int MIN_BAR = 10;
    private static final int MAX_BAR = 40;

    private final PrintWriter out;
    private final String unit;
    private final Mode mode;
    private final int width;
    private final LongSupplier clock;
    private final long lineIntervalNanos;

    private long start = Long.MIN_VALUE;
    private long lastLine = Long.MIN_VALUE;
    private String lastRendered;
    private boolean lastPrinted = true;
    private int drawnLength;

    private ProgressReporter(Builder builder) {
        this.out = builder.out;
        this.unit = builder.unit;
        this.mode = builder.mode;
        this.width = builder.width;
        this.clock = builder.clock;
        this.lineIntervalNanos = builder.lineIntervalNanos;
    }

    /**
     * The mode for a command-line option such as {@code --progress/--no-progress}: {@code null}
     * (not given) or {@code true} shows a bar on a terminal and plain lines otherwise (a log, a
     * pipe, CI); {@code false} shows nothing.
     */
    public static Mode mode(Boolean requested) {
        return mode(requested, System.console() != null);
    }

    /** As {@link #mode(Boolean)}, saying whether the output is a terminal. */
    public static Mode mode(Boolean requested, boolean terminal) {
        if (Boolean.FALSE.equals(requested)) {
            return Mode.OFF;
        }
        if (terminal) {
            return Mode.BAR;
        }
        return Mode.LINES;
    }

    /**
     * Starts a reporter that writes to {@code out} (usually stderr, so that results on stdout stay
     * clean) and counts in {@code unit}, a plural noun such as {@code "files"}.
     */
    public static Builder builder(PrintWriter out, String unit) {
        return new Builder(out, unit);
    }

    /** The mode this reporter shows progress in. */
    public Mode mode() {
        return mode;
    }

    /** Shows a map-reduce job's progress: done, total and retried inputs. */
    @Override
    public void accept(Progress progress) {
        update(progress.done(), progress.total(), progress.retried());
    }

    /** Shows that {@code done} of {@code total} (if known) are done. */
    public void update(long done, OptionalLong total) {
        update(done, total, 0);
    }

    /** Shows that {@code done} of {@code total} (if known) are done, {@code retried} of them sent again. */
    public synchronized void update(long done, OptionalLong total, long retried) {
        requireNonNull(total, "total");
        long now = clock.getAsLong();
        if (start == Long.MIN_VALUE) {
            start = now;
        }
        if (mode == Mode.OFF) {
            return;
        }
        String line = render(done, total, retried, now - start);
        if (mode == Mode.BAR) {
            draw(line);
            return;
        }
        boolean last = total.isPresent() && done >= total.getAsLong();
        lastRendered = line;
        if (last || lastLine == Long.MIN_VALUE || now - lastLine >= lineIntervalNanos) {
            lastLine = now;
            out.println("progress: " + line);
            out.flush();
            lastPrinted = true;
        } else {
            lastPrinted = false;
        }
    }

    /**
     * Ends the display: on a terminal, moves past the bar; in lines mode, prints the last update
     * if the interval held it back. Call once the job is over, before printing its results.
     */
    public synchronized void finish() {
        if (mode == Mode.BAR && drawnLength > 0) {
            out.println();
            out.flush();
            drawnLength = 0;
        } else if (mode == Mode.LINES && !lastPrinted) {
            out.println("progress: " + lastRendered);
            out.flush();
            lastPrinted = true;
        }
    }

    private void draw(String line) {
        // Spaces over what is left of a longer previous line.
        String padding = " ".repeat(Math.max(0, drawnLength - line.length()));
        out.print("\r" + line + padding);
        out.flush();
        drawnLength = line.length();
    }

    /** One update as text: the bar (in bar mode, if it fits), counts, rate, ETA, retries. */
    String render(long done, OptionalLong total, long retried, long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        StringBuilder text = new StringBuilder();
        text.append(done);
        if (total.isPresent()) {
            text.append('/').append(total.getAsLong());
        }
        text.append(' ').append(unit);
        if (done > 0 && rate > 0) {
            text.append(", ").append(formatRate(rate)).append("/s");
            if (total.isPresent() && done < total.getAsLong()) {
                text.append(", ETA ").append(formatDuration((total.getAsLong() - done) / rate));
            }
        }
        if (retried > 0) {
            text.append(", ").append(retried).append(" retried");
        }
        if (mode != Mode.BAR || total.isEmpty()) {
            return fit(text.toString());
        }
        // "[" + bar + "] " + text within the width
        int barWidth = Math.min(MAX_BAR, width - text.length() - 3);
        if (barWidth < MIN_BAR) {
            return fit(text.toString());
        }
        long all = total.getAsLong();
        int filled = all <= 0 ? barWidth : (int) Math.min(barWidth, barWidth * Math.min(done, all) / all);
        return "[" + "#".repeat(filled) + ".".repeat(barWidth - filled) + "] " + text;
    }

    private String fit(String text) {
        return text.length() <= width ? text : text.substring(0, Math.max(0, width - 1)) + "…";
    }

    /** A rate with three significant digits at most: {@code 0.25}, {@code 3.1}, {@code 42.0}, {@code 1234}. */
    static String formatRate(double rate) {
        if (rate >= 100) {
            return String.format(Locale.ROOT, "%.0f", rate);
        }
        if (rate >= 1) {
            return String.format(Locale.ROOT, "%.1f", rate);
        }
        return String.format(Locale.ROOT, "%.2f", rate);
    }

    /** Seconds as {@code 12 s}, {@code 3 min 05 s} or {@code 2 h 07 min}, rounded up to the second. */
    static String formatDuration(double seconds) {
        long s = (long) Math.ceil(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }

    /** The configuration of a {@link ProgressReporter}. */
    public static final class Builder {
        private final PrintWriter out;
        private final String unit;
        private Mode mode = ProgressReporter.mode(null);
        private int width = terminalWidth();
        private LongSupplier clock = System::nanoTime;
        private long lineIntervalNanos = 1_000_000_000L;

        private Builder(PrintWriter out, String unit) {
            this.out = requireNonNull(out, "out");
            this.unit = requireNonNull(unit, "unit");
        }

        /** How to show progress; by default a bar on a terminal and nothing otherwise (see {@link #mode(Boolean)}). */
        public Builder mode(Mode mode) {
            this.mode = requireNonNull(mode, "mode");
            return this;
        }

        /** The most characters a line may take; by default {@code $COLUMNS} minus one, or 79. */
        public Builder width(int width) {
            if (width < 20) {
                throw new IllegalArgumentException("width must be at least 20 characters, not " + width);
            }
            this.width = width;
            return this;
        }

        /** Where time comes from, in nanoseconds (by default {@link System#nanoTime()}); for tests. */
        public Builder clock(LongSupplier nanoClock) {
            this.clock = requireNonNull(nanoClock, "nanoClock");
            return this;
        }

        /** In lines mode, the least time between two lines (by default one second). */
        public Builder lineInterval(java.time.Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("the line interval must not be negative, not " + interval);
            }
            this.lineIntervalNanos = interval.toNanos();
            return this;
        }

        public ProgressReporter build() {
            return new ProgressReporter(this);
        }

        private static int terminalWidth() {
            String columns = System.getenv("COLUMNS");
            if (columns != null) {
                try {
                    int n = Integer.parseInt(columns.strip());
                    if (n > 20) {
                        // the last column would wrap on some terminals
                        return n - 1;
                    }
                } catch (NumberFormatException e) {
                    // not a number: use the default
                }
            }
            return 79;
        }
    }
}
