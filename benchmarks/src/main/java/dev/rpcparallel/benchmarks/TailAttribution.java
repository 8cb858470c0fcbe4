package dev.rpcparallel.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tail's profile: for each contender of a {@link TailTrace}, what ran on the machine's
 * processors during its slowest 1% of round trips, beside what ran during the 1% of its calls
 * around the median, from the scheduler's context switches ({@code perf script} of a system-wide
 * {@code perf record -e sched:sched_switch -k CLOCK_MONOTONIC}). Each thread that held a
 * processor during a call, other than the caller itself, is counted for the time it held it
 * within the call, grouped by whose it was (the contender's child, the harness JVM, another
 * contender's child, any other process) and by its name; idle processors are counted too. Run by
 * {@code benchmarks/tail-profile}.
 *
 * <pre>
 * java -cp ... dev.rpcparallel.benchmarks.TailAttribution CALLS_FILE SCHED_SCRIPT_FILE
 * </pre>
 */
public final class TailAttribution {
    /** Rows printed per contender; the rest are summed into one. */
    private static final int ROWS = 12;
    private static final String IDLE = "idle processor";
    /** The peer's address a connection's thread is named after ({@code -unix:///...}, {@code -127.0.0.1:5000}). */
    private static final String ADDRESS_SUFFIX = "-[a-z]+://.*$|-\\d+\\.\\d+\\.\\d+\\.\\d+.*$";

    private final Trace trace;
    private final Timeline timeline;

    TailAttribution(Trace trace, Timeline timeline) {
        this.trace = trace;
        this.timeline = timeline;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: TailAttribution CALLS_FILE SCHED_SCRIPT_FILE"
                    + " (the tail figure's trace, and perf script -F pid,tid,cpu,time,trace --ns of its sched_switch record)");
            System.exit(2);
        }
        Trace trace = Trace.read(Path.of(args[0]));
        Timeline timeline = Timeline.read(Path.of(args[1]));
        new TailAttribution(trace, timeline).print(System.out);
    }

    /** One contender: its child's process id, its name, and its calls' starts and lengths (nanoseconds). */
    record Contender(long pid, String name, long[] starts, long[] lengths) {}

    /** A {@link TailTrace} file read back. */
    record Trace(long harnessPid, long callerTid, Map<Long, String> javaNames, List<Contender> contenders) {
        static Trace read(Path file) throws IOException {
            long harness = -1;
            long caller = -1;
            Map<Long, String> javaNames = new HashMap<>();
            List<Contender> contenders = new ArrayList<>();
            String name = null;
            long pid = -1;
            Samples calls = null;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] parts = line.split(" ", 3);
                if (parts[0].equals("harness")) {
                    harness = Long.parseLong(parts[1]);
                    caller = Long.parseLong(parts[2]);
                } else if (parts[0].equals("thread")) {
                    javaNames.put(Long.parseLong(parts[1]), parts.length > 2 ? parts[2] : "");
                } else if (parts[0].equals("contender")) {
                    if (name != null) {
                        contenders.add(contender(pid, name, calls));
                    }
                    pid = Long.parseLong(parts[1]);
                    name = parts[2];
                    calls = Samples.timed();
                } else if (calls != null) {
                    calls.add(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
                } else {
                    throw new IOException(file + ": a call before any contender: '" + line + "'");
                }
            }
            if (name != null) {
                contenders.add(contender(pid, name, calls));
            }
            if (harness < 0) {
                throw new IOException(file + " has no 'harness PID TID' line: not a tail trace");
            }
            return new Trace(harness, caller, javaNames, contenders);
        }

        private static Contender contender(long pid, String name, Samples calls) {
            long[] starts = new long[calls.size()];
            long[] lengths = new long[calls.size()];
            for (int i = 0; i < calls.size(); i++) {
                starts[i] = calls.start(i);
                lengths[i] = calls.value(i);
            }
            return new Contender(pid, name, starts, lengths);
        }
    }

    /** Which thread ran on each processor from when: the context switches' next tasks, in time order. */
    static final class Timeline {
        private final Map<Integer, long[]> times = new HashMap<>();
        private final Map<Integer, long[]> threads = new HashMap<>();
        private final Map<Long, String> names = new HashMap<>();
        private final Map<Long, Long> processes = new HashMap<>();
        /** Lines of {@code perf script --show-lost-events} that say events were lost. */
        private int lostLines;

        /** Reads {@code perf script -F pid,tid,cpu,time,trace --ns} lines of {@code sched:sched_switch}. */
        static Timeline read(Path file) throws IOException {
            Timeline timeline = new Timeline();
            Map<Integer, long[][]> growing = new HashMap<>();
            Map<Integer, Integer> sizes = new HashMap<>();
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
                String line;
                while ((line = in.readLine()) != null) {
                    timeline.add(line, growing, sizes);
                }
            }
            for (Map.Entry<Integer, long[][]> entry : growing.entrySet()) {
                int size = sizes.get(entry.getKey());
                long[] at = Arrays.copyOf(entry.getValue()[0], size);
                for (int i = 1; i < size; i++) {
                    if (at[i] < at[i - 1]) {
                        throw new IOException(file + ": processor " + entry.getKey() + "'s switches are out of"
                                + " time order at " + at[i] + " ns; perf script sorts them unless told otherwise");
                    }
                }
                timeline.times.put(entry.getKey(), at);
                timeline.threads.put(entry.getKey(), Arrays.copyOf(entry.getValue()[1], size));
            }
            if (timeline.times.isEmpty()) {
                throw new IOException(file + " holds no sched_switch event (next_comm=... next_pid=...)");
            }
            return timeline;
        }

        private void add(String line, Map<Integer, long[][]> growing, Map<Integer, Integer> sizes) {
            if (line.contains("LOST") && !line.contains("next_comm=")) {
                lostLines++;
                return;
            }
            int next = line.indexOf(" next_comm=");
            int nextPid = line.indexOf(" next_pid=", next);
            int open = line.indexOf('[');
            int close = line.indexOf(']', open);
            int colon = line.indexOf(':', close);
            if (next < 0 || nextPid < 0 || open < 0 || close < 0 || colon < 0) {
                return;
            }
            String[] ids = line.substring(0, open).trim().split("/");
            if (ids.length == 2) {
                processes.put(Long.parseLong(ids[1]), Long.parseLong(ids[0]));
            }
            int cpu = Integer.parseInt(line.substring(open + 1, close).trim());
            long nanos = nanos(line.substring(close + 1, colon).trim());
            int pidEnd = line.indexOf(' ', nextPid + 10);
            long tid = Long.parseLong(line.substring(nextPid + 10, pidEnd < 0 ? line.length() : pidEnd));
            names.put(tid, line.substring(next + 11, nextPid)); // a new JVM thread runs as 'java' until it names itself
            long[][] arrays = growing.computeIfAbsent(cpu, c -> new long[][] {new long[1024], new long[1024]});
            int size = sizes.getOrDefault(cpu, 0);
            if (size == arrays[0].length) {
                arrays[0] = Arrays.copyOf(arrays[0], size * 2);
                arrays[1] = Arrays.copyOf(arrays[1], size * 2);
            }
            arrays[0][size] = nanos;
            arrays[1][size] = tid;
            sizes.put(cpu, size + 1);
        }

        /** {@code 474.826287123} seconds as nanoseconds. */
        static long nanos(String seconds) {
            int dot = seconds.indexOf('.');
            if (dot < 0) {
                return Long.parseLong(seconds) * 1_000_000_000L;
            }
            String fraction = (seconds.substring(dot + 1) + "000000000").substring(0, 9);
            return Long.parseLong(seconds.substring(0, dot)) * 1_000_000_000L + Long.parseLong(fraction);
        }

        /** Adds to {@code into} each thread's time on any processor within {@code [from, to)}, by thread id. */
        void occupancy(long from, long to, Map<Long, Long> into) {
            for (Map.Entry<Integer, long[]> entry : times.entrySet()) {
                long[] at = entry.getValue();
                long[] who = threads.get(entry.getKey());
                int i = Arrays.binarySearch(at, from);
                i = i >= 0 ? i : Math.max(0, -i - 2);
                for (; i < at.length && at[i] < to; i++) {
                    long begin = Math.max(at[i], from);
                    long end = Math.min(i + 1 < at.length ? at[i + 1] : to, to);
                    if (end > begin) {
                        into.merge(who[i], end - begin, Long::sum);
                    }
                }
            }
        }

        String name(long tid) {
            return names.getOrDefault(tid, "?");
        }

        Long process(long tid) {
            return processes.get(tid);
        }

        /** How many times the record says it lost events (0: every switch is there). */
        int lostLines() {
            return lostLines;
        }
    }

    void print(PrintStream out) {
        out.println("## The round trip's tail: what ran during the slowest 1% of calls");
        out.println();
        if (timeline.lostLines() > 0) {
            out.println("**Warning: perf lost events " + timeline.lostLines() + " times during the record: a processor's"
                    + " time after a lost switch is counted to the thread that ran before it. Record again on a"
                    + " quieter machine, or with a larger buffer (perf record -m).**");
            out.println();
        }
        out.println("Per call, microseconds that each thread other than the caller held a processor during the"
                + " call (all processors), for the slowest 1% of the contender's calls and for the 1% around its"
                + " median. Threads are named by their Java names where the JVM still ran them when the trace was"
                + " written, else as the kernel knows them (15 characters); a trailing number is left out.");
        for (Contender contender : trace.contenders()) {
            if (contender.lengths().length < 100) {
                continue;
            }
            print(out, contender);
        }
    }

    private void print(PrintStream out, Contender contender) {
        Integer[] order = new Integer[contender.lengths().length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong(i -> contender.lengths()[i]));
        int n = order.length;
        int onePercent = Math.max(1, n / 100);
        long p50 = contender.lengths()[order[(int) Math.ceil(0.50 * n) - 1]];
        long p99 = contender.lengths()[order[(int) Math.ceil(0.99 * n) - 1]];
        List<Integer> slowest = Arrays.asList(order).subList(n - onePercent, n);
        List<Integer> median = Arrays.asList(order).subList(Math.max(0, n / 2 - onePercent / 2),
                Math.min(n, n / 2 - onePercent / 2 + onePercent));
        Map<String, Double> slow = perCall(contender, slowest);
        Map<String, Double> usual = perCall(contender, median);
        out.println();
        out.printf(Locale.ROOT, "### %s: p50 %.1f µs, p99 %.1f µs (%.2f× p50), %,d calls%n", contender.name(),
                p50 / 1e3, p99 / 1e3, (double) p99 / p50, n);
        out.println();
        out.println("| held a processor during the call | slowest 1%, µs per call | around the median, µs per call |");
        out.println("| --- | --- | --- |");
        out.printf(Locale.ROOT, "| *(the calls' own length)* | %.1f | %.1f |%n", meanLength(contender, slowest),
                meanLength(contender, median));
        Map<String, Double> both = new LinkedHashMap<>(slow);
        usual.keySet().forEach(who -> both.putIfAbsent(who, 0.0));
        List<Map.Entry<String, Double>> rows = new ArrayList<>(both.entrySet());
        rows.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        double restSlow = 0;
        double restUsual = 0;
        for (int i = 0; i < rows.size(); i++) {
            String who = rows.get(i).getKey();
            if (i < ROWS || who.equals(IDLE)) {
                out.printf(Locale.ROOT, "| %s | %.1f | %.1f |%n", who, rows.get(i).getValue(),
                        usual.getOrDefault(who, 0.0));
            } else {
                restSlow += rows.get(i).getValue();
                restUsual += usual.getOrDefault(who, 0.0);
            }
        }
        if (rows.size() > ROWS) {
            out.printf(Locale.ROOT, "| everything else | %.1f | %.1f |%n", restSlow, restUsual);
        }
    }

    private static double meanLength(Contender contender, List<Integer> calls) {
        return calls.stream().mapToLong(i -> contender.lengths()[i]).average().orElse(0) / 1e3;
    }

    /** Microseconds per call that each group of threads held a processor during {@code calls}. */
    Map<String, Double> perCall(Contender contender, List<Integer> calls) {
        Map<Long, Long> byThread = new HashMap<>();
        for (int i : calls) {
            long start = contender.starts()[i];
            timeline.occupancy(start, start + contender.lengths()[i], byThread);
        }
        Map<String, Double> byGroup = new LinkedHashMap<>();
        for (Map.Entry<Long, Long> entry : byThread.entrySet()) {
            long tid = entry.getKey();
            if (tid == trace.callerTid()) {
                continue;
            }
            byGroup.merge(group(contender, tid), entry.getValue() / 1e3 / calls.size(), Double::sum);
        }
        return byGroup;
    }

    /** Whose thread {@code tid} is, and its name without a trailing number. */
    String group(Contender contender, long tid) {
        if (tid == 0) {
            return IDLE;
        }
        String javaName = trace.javaNames().get(tid);
        String name = (javaName != null ? javaName : timeline.name(tid))
                .replaceAll(ADDRESS_SUFFIX, "").replaceAll("[#/-]?\\d+$", "");
        Long pid = timeline.process(tid);
        if (pid == null) {
            return "a process: " + name;
        }
        if (pid == contender.pid()) {
            return "its child: " + name;
        }
        if (pid == trace.harnessPid()) {
            return "the harness JVM: " + name;
        }
        for (Contender other : trace.contenders()) {
            if (other.pid() == pid) {
                return "another contender's child (" + other.name() + "): " + name;
            }
        }
        return "another process: " + name;
    }
}
