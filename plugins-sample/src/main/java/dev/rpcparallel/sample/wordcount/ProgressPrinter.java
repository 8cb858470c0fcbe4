package dev.rpcparallel.sample.wordcount;

import dev.rpcparallel.api.mapreduce.Progress;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows a map-reduce job's {@link Progress}: on a terminal, a bar redrawn in place
 * ({@code [#####.....] 12/48 files, 3.1/s, ETA 11 s}); otherwise, for logs and pipes, a plain
 * line at most once a second.
 */
final class ProgressPrinter {
    private static final int WIDTH = 30;
    private static final long LINE_INTERVAL_NANOS = 1_000_000_000L;

    private final PrintWriter err;
    private final String unit;
    private final boolean terminal;
    private long lastLine = Long.MIN_VALUE;
    private boolean drawn;

    ProgressPrinter(PrintWriter err, String unit, boolean terminal) {
        this.err = err;
        this.unit = unit;
        this.terminal = terminal;
    }

    /** A printer on stderr that draws a bar if the process has a terminal. */
    static ProgressPrinter forStderr(PrintWriter err, String unit) {
        return new ProgressPrinter(err, unit, System.console() != null);
    }

    void update(Progress progress) {
        if (terminal) {
            err.print("\r" + render(progress));
            err.flush();
            drawn = true;
            return;
        }
        long now = System.nanoTime();
        boolean last = progress.total().isPresent() && progress.done() == progress.total().getAsLong();
        if (last || lastLine == Long.MIN_VALUE || now - lastLine >= LINE_INTERVAL_NANOS) {
            lastLine = now;
            err.println("progress: " + render(progress));
        }
    }

    void finish() {
        if (drawn) {
            err.println();
            drawn = false;
        }
    }

    String render(Progress progress) {
        StringBuilder line = new StringBuilder();
        long done = progress.done();
        if (progress.total().isPresent()) {
            long total = progress.total().getAsLong();
            if (terminal) {
                int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
                line.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
            }
            line.append(done).append('/').append(total).append(' ').append(unit);
            line.append(String.format(Locale.ROOT, ", %.1f/s", progress.rate()));
            if (done > 0 && done < total) {
                double eta = (total - done) / progress.rate();
                line.append(String.format(Locale.ROOT, ", ETA %.0f s", eta));
            }
        } else {
            line.append(done).append(' ').append(unit).append(String.format(Locale.ROOT, ", %.1f/s", progress.rate()));
        }
        if (progress.retried() > 0) {
            line.append(", ").append(progress.retried()).append(" retried");
        }
        return line.toString();
    }
}
