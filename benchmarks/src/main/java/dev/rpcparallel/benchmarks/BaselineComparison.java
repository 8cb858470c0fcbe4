package dev.rpcparallel.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code benchmarks/run --baseline REV}: the figures of two builds, measured in one run. Both
 * harnesses (REV's, built in its own copy of the sources, and this tree's) run each figure in
 * turn with {@code benchmarks/run --no-build --only FIGURE}, the one going first alternating
 * from figure to figure and pass to pass; their tables are read back and printed side by side:
 * before, after, after ÷ before, and each side's ratio to its own same-run baseline (which shows
 * how much of a difference is the machine's). With several passes, each side's value is the
 * median of its passes.
 *
 * <pre>
 * BaselineComparison --before DIR --before-name NAME --after DIR [--passes N] [--quick] [--only a,b]
 * </pre>
 */
public final class BaselineComparison {
    /** A value and its unit in a table cell: {@code 284.1 ms}, {@code 107,934 calls/s}, {@code 1.81×}. */
    private static final Pattern VALUE = Pattern.compile("([0-9][0-9,]*(?:\\.[0-9]+)?) ?(ms|µs|MiB|calls/s|MB/s|elements/s|×)");

    /** Why a baseline run leaves the peers out unless asked, printed on such a run. */
    static final String PEERS_LEFT_OUT = "the peers figure is left out unless named (--only ...,peers): it runs"
            + " four peers (five with python3) beside us in every figure, the longest figure of the suite, twice per"
            + " pass here (once per side), and the peers are the same programs on both sides";

    private BaselineComparison() {}

    /** One row of a harness's table. */
    record Row(String id, String figure, String value, String baseline, String ratio) {
        /** A figure may have several rows, one per baseline (round trip: raw Thrift, raw socket). */
        String key() {
            return id + " " + figure + " | " + baseline;
        }
    }

    public static void main(String[] args) throws Exception {
        Path before = null;
        Path after = null;
        String beforeName = "before";
        String afterName = "this tree";
        String beforeJvmOptions = "";
        String afterJvmOptions = "";
        int passes = 1;
        boolean quick = false;
        Set<String> only = new LinkedHashSet<>(Main.FIGURES);
        only.remove("peers");
        boolean peers = false;
        boolean onlyGiven = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--before" -> before = Path.of(args[++i]);
                case "--before-name" -> beforeName = args[++i];
                case "--after" -> after = Path.of(args[++i]);
                case "--after-name" -> afterName = args[++i];
                case "--before-jvm-options" -> beforeJvmOptions = args[++i];
                case "--after-jvm-options" -> afterJvmOptions = args[++i];
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                case "--quick" -> quick = true;
                case "--only" -> {
                    only = new LinkedHashSet<>(List.of(args[++i].split(",")));
                    onlyGiven = true;
                }
                default -> {
                    System.err.println("benchmarks/run --baseline: unknown argument " + args[i]
                            + "; usage: benchmarks/run --baseline REV [--passes N] [--quick] [--only "
                            + String.join(",", Main.FIGURES) + "]");
                    System.exit(2);
                }
            }
        }
        if (before == null || after == null || passes < 1) {
            System.err.println("BaselineComparison needs --before DIR --after DIR (and --passes ≥ 1);"
                    + " run it with benchmarks/run --baseline REV");
            System.exit(2);
        }
        if (only.remove("peers")) {
            peers = true;
        } else if (!onlyGiven) {
            System.err.println("[bench] --baseline: " + PEERS_LEFT_OUT);
        }
        System.exit(compare(new Side(before, beforeName, beforeJvmOptions), new Side(after, afterName, afterJvmOptions), passes,
                quick, only, peers, System.out));
    }

    /**
     * One side of a comparison: a source tree whose harness runs, its name in the table, and JVM
     * options added to that harness (and so to its workers): {@code -Drpcparallel.transport=unix}
     * against {@code -Drpcparallel.transport=thrift} compares two transports of the same tree
     * ({@code benchmarks/run --transport unix}).
     */
    record Side(Path tree, String name, String jvmOptions) {}

    static int compare(Side before, Side after, int passes, boolean quick, Set<String> figures,
            PrintStream out) throws Exception {
        return compare(before, after, passes, quick, figures, false, out);
    }

    /**
     * As above; with {@code peers}, each pass also runs the peers figure in both harnesses (the
     * first alternating), and each side's peers table is printed as that harness printed it
     * (ours beside the peers, measured in that harness's run).
     */
    static int compare(Side before, Side after, int passes, boolean quick, Set<String> figures, boolean peers,
            PrintStream out) throws Exception {
        long start = System.nanoTime();
        String loadAtStart = loadAverage();
        Map<String, List<Row>> beforeRows = new LinkedHashMap<>();
        Map<String, List<Row>> afterRows = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        int turn = 0;
        List<List<String>> peerTables = new ArrayList<>();
        for (int pass = 0; pass < passes; pass++) {
            if (peers) {
                boolean beforeFirst = turn++ % 2 == 0;
                List<String> beforeTable = List.of();
                List<String> afterTable = List.of();
                for (int side = 0; side < 2; side++) {
                    boolean isBefore = (side == 0) == beforeFirst;
                    String name = isBefore ? "before" : "after";
                    System.err.println("[bench] --baseline: pass " + (pass + 1) + ", peers, " + name);
                    try {
                        List<String> table = peersTable(harnessOutput(isBefore ? before : after, "peers", quick));
                        if (table.isEmpty()) {
                            throw new IOException("no peers table in its output");
                        }
                        if (isBefore) {
                            beforeTable = table;
                        } else {
                            afterTable = table;
                        }
                    } catch (IOException e) {
                        failures.add(name + ", peers: " + e.getMessage());
                    }
                }
                peerTables.add(beforeTable);
                peerTables.add(afterTable);
            }
            for (String figure : figures) {
                boolean beforeFirst = turn++ % 2 == 0;
                for (int side = 0; side < 2; side++) {
                    boolean isBefore = (side == 0) == beforeFirst;
                    Side harness = isBefore ? before : after;
                    String name = isBefore ? "before" : "after";
                    System.err.println("[bench] --baseline: pass " + (pass + 1) + ", " + figure + ", " + name);
                    try {
                        for (Row row : runHarness(harness, figure, quick)) {
                            (isBefore ? beforeRows : afterRows).computeIfAbsent(row.key(), k -> new ArrayList<>())
                                    .add(row);
                        }
                    } catch (IOException e) {
                        failures.add(name + ", " + figure + ": " + e.getMessage());
                    }
                }
            }
        }
        out.println();
        out.println("## rpc-parallel benchmarks, before and after (" + (quick ? "quick" : "full") + " runs, "
                + passes + (passes == 1 ? " pass" : " passes") + ", "
                + Math.round((System.nanoTime() - start) / 1e9) + " s)");
        out.println();
        for (String line : Main.machine()) {
            if (!line.startsWith("harness JVM options")) {
                out.println("- " + line);
            }
        }
        out.println("- before: " + before.name() + "; after: " + after.name());
        out.println("- load average (1, 5, 15 min) at start: " + loadAtStart + "; at end: " + loadAverage());
        out.println("- each figure ran in both harnesses in turn (`--only FIGURE`), the first alternating;"
                + " a side's value is the median of its passes");
        out.println();
        List<String[]> lines = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>(afterRows.keySet());
        keys.addAll(beforeRows.keySet());
        for (String key : keys) {
            List<Row> b = beforeRows.getOrDefault(key, List.of());
            List<Row> a = afterRows.getOrDefault(key, List.of());
            Row any = !a.isEmpty() ? a.get(0) : b.get(0);
            Double bv = median(b);
            Double av = median(a);
            String change = bv == null || av == null || bv == 0 ? "-" : String.format(Locale.ROOT, "%.2f×", av / bv);
            lines.add(new String[] {any.id(), any.figure(), cell(b), cell(a), change, better(any.value()),
                    any.baseline(), ratios(b), ratios(a)});
        }
        if (!lines.isEmpty()) {
            print(out, new String[] {"#", "figure", "before", "after", "after ÷ before", "better",
                    "same-run baseline", "before ÷ its baseline", "after ÷ its baseline"}, lines);
        }
        for (int i = 0; i < peerTables.size(); i++) {
            if (peerTables.get(i).isEmpty()) {
                continue;
            }
            out.println();
            out.println("### Peers, " + (i % 2 == 0 ? "before: " + before.name() : "after: " + after.name())
                    + " (pass " + (i / 2 + 1) + ")");
            peerTables.get(i).forEach(out::println);
        }
        if (!failures.isEmpty()) {
            out.println();
            for (String failure : failures) {
                out.println("- failed: " + failure);
            }
        }
        return failures.isEmpty() ? 0 : 1;
    }

    /** Runs one figure with the harness of {@code tree}; the rows of its table. */
    private static List<Row> runHarness(Side side, String figure, boolean quick) throws Exception {
        List<Row> rows = rows(harnessOutput(side, figure, quick));
        if (rows.isEmpty()) {
            throw new IOException("no rows from the harness of " + side.tree() + ", --only " + figure);
        }
        return rows;
    }

    /** The peers section of a harness's output: the lines after its "### Peers" heading. */
    static List<String> peersTable(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("### Peers")) {
                return List.copyOf(lines.subList(i + 1, lines.size()));
            }
        }
        return List.of();
    }

    /** Runs one figure with the harness of {@code tree}; what it printed on stdout. */
    private static List<String> harnessOutput(Side side, String figure, boolean quick) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", side.tree().resolve("benchmarks/run").toString(),
                "--no-build"));
        if (quick) {
            command.add("--quick");
        }
        command.addAll(List.of("--only", figure));
        Path output = Files.createTempFile("rpc-parallel-bench-baseline-", ".md");
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            if (!side.jvmOptions().isEmpty()) {
                String inherited = System.getenv().getOrDefault("BENCH_JVM_OPTS", "");
                builder.environment().put("BENCH_JVM_OPTS", (inherited + " " + side.jvmOptions()).trim());
            }
            Process process = builder
                    .redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            if (!process.waitFor(60, TimeUnit.MINUTES)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                throw new IOException("no result within 60 minutes: " + command);
            }
            if (process.exitValue() != 0) {
                throw new IOException("exit status " + process.exitValue() + " from " + command);
            }
            return Files.readAllLines(output, UTF_8);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** The rows of a harness's main table ({@code | 2.3 | figure | value | baseline | baseline value | ratio | ...}). */
    static List<Row> rows(List<String> lines) {
        List<Row> rows = new ArrayList<>();
        for (String line : lines) {
            if (!line.matches("\\| \\d+\\.\\d+ +\\|.*")) {
                continue;
            }
            String[] cells = line.split("\\|");
            if (cells.length >= 7) {
                rows.add(new Row(cells[1].trim(), cells[2].trim(), cells[3].trim(), cells[4].trim(), cells[6].trim()));
            }
        }
        return rows;
    }

    /** The number before the first unit in a cell, or null. */
    static Double number(String cell) {
        Matcher matcher = VALUE.matcher(cell);
        return matcher.find() ? Double.valueOf(matcher.group(1).replace(",", "")) : null;
    }

    private static String better(String cell) {
        Matcher matcher = VALUE.matcher(cell);
        if (!matcher.find()) {
            return "-";
        }
        return switch (matcher.group(2)) {
            case "ms", "µs", "MiB" -> "lower";
            default -> "higher";
        };
    }

    private static Double median(List<Row> rows) {
        double[] values = rows.stream().map(row -> number(row.value())).filter(v -> v != null)
                .mapToDouble(Double::doubleValue).toArray();
        return values.length == 0 ? null : Samples.median(values);
    }

    /** A side's values, one per pass. */
    private static String cell(List<Row> rows) {
        if (rows.isEmpty()) {
            return "(no such row)";
        }
        return String.join(" / ", rows.stream().map(Row::value).toList());
    }

    private static String ratios(List<Row> rows) {
        return rows.isEmpty() ? "-" : String.join(" / ", rows.stream().map(Row::ratio).toList());
    }

    private static void print(PrintStream out, String[] header, List<String[]> lines) {
        MarkdownTable.print(out, List.of(header), lines.stream().map(List::of).toList());
        out.flush();
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg"), UTF_8).trim().split("\\s+");
            return fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "(unknown)";
        }
    }
}
