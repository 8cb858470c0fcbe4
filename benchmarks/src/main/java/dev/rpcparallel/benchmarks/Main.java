package dev.rpcparallel.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.fork.WorkerCommand;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The benchmark harness: measures every figure of BENCHMARKS.md beside its baseline from the
 * same run, then prints the machine and the table (Markdown) on stdout. Progress and the
 * workers' output go to stderr.
 *
 * <pre>
 * benchmarks/run [--quick] [--only spawn,warm,roundtrip,throughput,bandwidth,pipe,speedup,memory,peers,thrift-service,scaling,remote]
 * </pre>
 *
 * <p>One more figure runs only when named, {@code --only tail}: the peers' round trip alone, each
 * call written to the file {@code -Dbench.tailTrace=} names ({@link TailTrace}), for
 * {@code benchmarks/tail-profile}, which runs it under the scheduler's trace.
 *
 * It must run with {@code -Drpcparallel.workers=} the harness's listing (benchmarks/run passes
 * it), which its workers inherit with the rest of its JVM options.
 */
public final class Main {
    static final List<String> FIGURES = List.of("spawn", "warm", "roundtrip", "throughput", "bandwidth", "pipe",
            "speedup", "memory", "peers", "thrift-service", "scaling", "remote");
    /** Figures run only when named in {@code --only}. */
    static final List<String> NAMED_ONLY = List.of("tail");

    private Main() {}

    public static void main(String[] args) throws Exception {
        Scale scale = Scale.FULL;
        Set<String> only = new LinkedHashSet<>(FIGURES);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> scale = Scale.QUICK;
                case "--only" -> {
                    if (i + 1 == args.length) {
                        usage("--only needs a list of figures");
                    }
                    only = new LinkedHashSet<>(List.of(args[++i].split(",")));
                    if (!only.stream().allMatch(f -> FIGURES.contains(f) || NAMED_ONLY.contains(f))) {
                        usage("unknown figure in --only " + args[i]);
                    }
                }
                case "-h", "--help" -> {
                    usage(null);
                }
                default -> usage("unknown argument " + args[i]);
            }
        }
        String listing = System.getProperty("rpcparallel.workers");
        if (listing == null || !Files.isRegularFile(Path.of(listing))) {
            System.err.println("The harness needs -Drpcparallel.workers=benchmarks/target/classes/bench-workers.list"
                    + " (its workers inherit it); run it with benchmarks/run.");
            System.exit(2);
        }
        int status = run(scale, only, System.out);
        System.exit(status);
    }

    private static void usage(String problem) {
        PrintStream out = problem == null ? System.out : System.err;
        if (problem != null) {
            out.println(problem);
        }
        out.println("usage: benchmarks/run [--quick] [--only " + String.join(",", FIGURES) + "]");
        out.println("       benchmarks/run [--quick] --only tail   (the round trip traced: see benchmarks/tail-profile)");
        System.exit(problem == null ? 0 : 2);
    }

    /** Runs the figures and prints the table; 0, or 1 if a figure could not be measured. */
    static int run(Scale scale, Set<String> only, PrintStream out) throws Exception {
        ResultTable table = new ResultTable();
        PeerTable peers = new PeerTable();
        int status = 0;
        long start = System.nanoTime();
        String loadAtStart = loadAverage();
        ChildJvms.Child baselines = ChildJvms.start(BaselineServers.class, 4);
        try {
            int thriftPort = port(baselines.firstLines().get(0), "thrift");
            int thriftBinaryPort = port(baselines.firstLines().get(1), "thrift-binary");
            int socketPort = port(baselines.firstLines().get(2), "socket");
            int streamPort = port(baselines.firstLines().get(3), "stream");

            if (only.contains("spawn")) {
                status |= figure("spawn", () -> SpawnFigures.run(scale, table));
            }
            if (only.contains("warm")) {
                status |= figure("warm", () -> WarmPoolFigure.run(scale, table));
            }
            if (only.contains("roundtrip") || only.contains("throughput") || only.contains("bandwidth")
                    || only.contains("pipe")) {
                WorkerRef worker = Parallel.spawn(Bench.TYPE, null, SpawnOptions.builder().name("bench-calls").build());
                try (Connection connection = Parallel.connect(worker)) {
                    CallFigures calls = new CallFigures(scale, table, connection, thriftPort, thriftBinaryPort,
                            socketPort);
                    if (only.contains("roundtrip")) {
                        status |= figure("roundtrip", calls::roundTrip);
                    }
                    if (only.contains("throughput")) {
                        status |= figure("throughput", calls::throughput);
                    }
                    if (only.contains("bandwidth")) {
                        status |= figure("bandwidth", calls::bandwidth);
                    }
                    if (only.contains("pipe")) {
                        status |= figure("pipe", () -> PipeFigure.run(scale, table, connection, streamPort));
                    }
                } finally {
                    Parallel.shutdown(worker);
                }
            }
            if (only.contains("speedup")) {
                status |= figure("speedup", () -> SpeedupFigure.run(scale, table));
            }
            if (only.contains("memory")) {
                status |= figure("memory", () -> {
                    MemoryFigures.idleWorker(scale, table);
                    MemoryFigures.manyIdleWorkers(scale, table);
                });
            }
            if (only.contains("thrift-service")) {
                status |= figure("thrift-service", () -> ThriftServiceFigure.run(scale, table, thriftPort));
            }
            if (only.contains("scaling")) {
                status |= figure("scaling", () -> ScalingFigures.run(scale, table));
            }
            if (only.contains("remote")) {
                status |= figure("remote", () -> RemoteSpawnFigures.run(scale, table));
            }
            if (only.contains("peers")) {
                status |= figure("peers", () -> PeerFigures.run(scale, peers));
            }
            if (only.contains("tail")) {
                Path trace = Path.of(System.getProperty(TailTrace.PROPERTY, "benchmarks/target/tail/calls.txt"));
                status |= figure("tail", () -> PeerFigures.roundTripTraced(scale, peers, trace));
            }
        } finally {
            Parallel.shutdownWorkers();
            baselines.finish();
        }
        out.println();
        out.println("## rpc-parallel benchmarks (" + scale.name() + " run, "
                + Math.round((System.nanoTime() - start) / 1e9) + " s)");
        out.println();
        machine().forEach(line -> out.println("- " + line));
        out.println("- load average (1, 5, 15 min) at start: " + loadAtStart + "; at end: " + loadAverage()
                + " (a shared machine: the same-run baselines share its noise)");
        if (!table.rows().isEmpty()) {
            out.println();
            table.print(out);
        }
        if (!peers.isEmpty()) {
            out.println();
            out.println("### Peers (same run; each figure's rounds alternate between the contenders)");
            out.println();
            peers.print(out);
        }
        return status;
    }

    interface Figure {
        void run() throws Exception;
    }

    /** Runs one figure; a failure is reported and the others still run. */
    private static int figure(String name, Figure figure) {
        System.err.println("[bench] --- " + name);
        try {
            figure.run();
            return 0;
        } catch (Exception | Error e) {
            System.err.println("[bench] figure '" + name + "' failed:");
            e.printStackTrace();
            return 1;
        }
    }

    private static int port(String line, String name) {
        String[] parts = line.split(" ");
        if (parts.length != 2 || !parts[0].equals(name)) {
            throw new IllegalStateException("the baseline servers printed '" + line + "', not '" + name + " PORT'");
        }
        return Integer.parseInt(parts[1]);
    }

    /** The facts of the machine that the figures depend on. */
    static List<String> machine() {
        return List.of(
                "date: " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                "JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                        + " (" + System.getProperty("java.vendor") + ")",
                "OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                "CPU: " + procLine("/proc/cpuinfo", "model name") + "; available processors: "
                        + Runtime.getRuntime().availableProcessors(),
                "memory: " + procLine("/proc/meminfo", "MemTotal"),
                "harness JVM options (inherited by every worker and baseline JVM): "
                        + (WorkerCommand.inheritableJvmOptions().isEmpty() ? "(none)"
                                : String.join(" ", WorkerCommand.inheritableJvmOptions())));
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg"), UTF_8).trim().split("\\s+");
            return fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (Exception e) {
            return "(unknown)";
        }
    }

    private static String procLine(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file), UTF_8)) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return "(unknown)";
    }
}
