package dev.rpcparallel.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * The peer comparison of one run ({@link PeerFigures}): one row per figure, rpc-parallel's value
 * beside every peer's, the best peer and rpc-parallel's ratio to it, printed as Markdown.
 */
final class PeerTable {
    /** Which way a figure is better. */
    enum Better {
        LOWER("lower"), HIGHER("higher");

        final String text;

        Better(String text) {
            this.text = text;
        }
    }

    /** A peer's cell when it has no value: not run on this machine, or failed. */
    static final double SKIPPED = Double.NaN;

    private record Row(String figure, Better better, double ours, Map<String, Double> peers,
            DoubleFunction<String> format) {}

    private final List<String> peers = new ArrayList<>();
    private final Map<String, String> absent = new LinkedHashMap<>();
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /** The peer columns, in order. */
    void peer(String name) {
        peers.add(name);
    }

    /** A peer with no values in this run ({@code why}: "skipped", "failed"). */
    void absent(String name, String why) {
        absent.put(name, why);
    }

    void note(String text) {
        notes.add(text);
        System.err.println("[bench] peers: " + text);
    }

    /** A row; {@code peerValues} by peer name, a missing or NaN value printed as the peer's absence. */
    void add(String figure, Better better, double ours, Map<String, Double> peerValues, DoubleFunction<String> format) {
        Row row = new Row(figure, better, ours, new LinkedHashMap<>(peerValues), format);
        rows.add(row);
        System.err.println("[bench] peers: " + String.join(" | ", cells(row)));
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    private List<String> cells(Row row) {
        List<String> cells = new ArrayList<>();
        cells.add(row.figure());
        cells.add(row.better().text);
        cells.add(row.format().apply(row.ours()));
        String best = null;
        double bestValue = Double.NaN;
        for (String peer : peers) {
            Double value = row.peers().get(peer);
            if (value == null || value.isNaN()) {
                cells.add(absent.getOrDefault(peer, "-"));
                continue;
            }
            cells.add(row.format().apply(value));
            boolean better = best == null
                    || (row.better() == Better.LOWER ? value < bestValue : value > bestValue);
            if (better) {
                best = peer;
                bestValue = value;
            }
        }
        if (best == null) {
            cells.add("-");
            cells.add("-");
        } else {
            cells.add(best);
            double ratio = row.ours() / bestValue;
            boolean ahead = row.better() == Better.LOWER ? ratio < 1 : ratio > 1;
            cells.add(String.format(Locale.ROOT, "%.2f× (%s)", ratio, ahead ? "ahead" : "behind"));
        }
        return cells;
    }

    void print(PrintStream out) {
        List<String> header = new ArrayList<>(List.of("figure", "better", "rpc-parallel"));
        header.addAll(peers);
        header.addAll(List.of("best peer", "rpc-parallel ÷ best peer"));
        List<List<String>> lines = new ArrayList<>();
        for (Row row : rows) {
            lines.add(cells(row));
        }
        MarkdownTable.print(out, header, lines);
        if (!notes.isEmpty()) {
            out.println();
            for (String note : notes) {
                out.println("- " + note);
            }
        }
        out.flush();
    }
}
