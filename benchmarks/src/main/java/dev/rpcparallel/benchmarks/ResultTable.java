package dev.rpcparallel.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one run, each beside its baseline from the same run, printed as a Markdown
 * table (so that BENCHMARKS.md can hold it as printed).
 */
final class ResultTable {
    /** Whether a row's target is met in this run. */
    enum Verdict {
        MET("met"), MISSED("**missed**"), INFO("-"), NOT_AVAILABLE("not available yet");

        final String text;

        Verdict(String text) {
            this.text = text;
        }

        static Verdict of(boolean met) {
            return met ? MET : MISSED;
        }
    }

    record Row(String id, String figure, String value, String baseline, String baselineValue, String ratio,
            String target, Verdict verdict) {}

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void add(String id, String figure, String value, String baseline, String baselineValue, String ratio,
            String target, Verdict verdict) {
        Row row = new Row(id, figure, value, baseline, baselineValue, ratio, target, verdict);
        rows.add(row);
        System.err.println("[bench] " + id + " " + figure + ": " + value + " | " + baseline + ": " + baselineValue
                + " | ratio " + ratio + " | target " + target + " | " + verdict.text);
    }

    void notAvailable(String id, String figure, String target, String why) {
        add(id, figure, "not available yet", "-", "-", "-", target, Verdict.NOT_AVAILABLE);
        notes.add(id + " " + figure + ": " + why);
    }

    void note(String text) {
        notes.add(text);
    }

    List<Row> rows() {
        return rows;
    }

    void print(PrintStream out) {
        String[] header = {"#", "figure", "value", "baseline (same run)", "baseline value", "ratio", "target", "target met"};
        List<String[]> lines = new ArrayList<>();
        for (Row row : rows) {
            lines.add(new String[] {row.id(), row.figure(), row.value(), row.baseline(), row.baselineValue(),
                    row.ratio(), row.target(), row.verdict().text});
        }
        MarkdownTable.print(out, List.of(header), lines.stream().map(List::of).toList());
        if (!notes.isEmpty()) {
            out.println();
            for (String note : notes) {
                out.println("- " + note);
            }
        }
        out.flush();
    }

    // ---------------------------------------------------------------- formatting helpers

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    static String us(long nanos) {
        return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
    }

    static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f×", value);
    }

    static String rate(double perSecond, String unit) {
        return String.format(Locale.ROOT, "%,.0f %s", perSecond, unit);
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
