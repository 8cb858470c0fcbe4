package dev.rpcparallel.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the documented command, {@code benchmarks/run}, after package (without its build step)
 * with tiny counts: the harness starts, measures every figure and prints the table. No figure
 * is asserted: the figures are for BENCHMARKS.md, never for the build.
 */
class BenchmarkSmokeIT {
    private static final Path SCRIPT = Path.of("run");

    @TempDir
    Path dir;

    @Test
    void quickRunPrintsEveryFigureBesideItsBaseline() throws Exception {
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder("sh", SCRIPT.toAbsolutePath().toString(), "--no-build", "--quick")
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        boolean finished = process.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        String stdout = Files.readString(out, UTF_8);
        String stderr = Files.readString(err, UTF_8);
        assertThat(finished).as("benchmarks/run --quick finished; stderr:\n" + stderr).isTrue();
        assertThat(process.exitValue()).as("exit status; stdout:\n" + stdout + "\nstderr:\n" + stderr).isZero();

        assertThat(stdout).contains("| # ", "| figure ", "| baseline (same run) ", "| ratio ", "| target met ",
                "- JDK: ", "- memory: ");
        List<String> rows = stdout.lines().filter(line -> line.startsWith("| 2.")).toList();
        assertThat(rows).anyMatch(row -> row.startsWith("| 2.1 ") && row.contains("spawn to ready, median")
                        && row.contains("bare `java -cp … Hello`"))
                .anyMatch(row -> row.startsWith("| 2.2 ") && row.contains("spawn to ready from the pool, median")
                        && row.contains("cold spawn, median; bare JVM, median"))
                .anyMatch(row -> row.startsWith("| 2.3 ") && row.contains("raw Thrift TThreadPoolServer, TCompactProtocol, p50"))
                .anyMatch(row -> row.startsWith("| 2.3 ") && row.contains("raw socket ping-pong, p50"))
                .anyMatch(row -> row.startsWith("| 2.4 ") && row.contains("64 in flight"))
                .anyMatch(row -> row.startsWith("| 2.5 ") && row.contains("64 MiB") && row.contains("raw socket copy"))
                .anyMatch(row -> row.startsWith("| 2.6 ") && row.contains("raw socket stream"))
                .anyMatch(row -> row.startsWith("| 2.7 ") && row.contains("2 workers vs 1"))
                .anyMatch(row -> row.startsWith("| 2.8 ") && row.contains("resident size"))
                .anyMatch(row -> row.startsWith("| 2.8 ") && row.contains("shut down"))
                .anyMatch(row -> row.startsWith("| 2.9 ") && row.contains("Ping.Iface") && row.contains("RpcFunction echo"))
                .anyMatch(row -> row.startsWith("| 2.9 ") && row.contains("plain Thrift Ping.Client, 16 threads"));
        // How cost grows: workers spawned at once against bare JVMs, and callers at once against one.
        List<String> scaling = stdout.lines().filter(line -> line.startsWith("| 2.10 ")).toList();
        assertThat(scaling).anyMatch(row -> row.contains("4 workers spawned at once: until the last is connected")
                        && row.contains("4 bare JVMs started at once"))
                .anyMatch(row -> row.contains("round trip p50 / p99, 4 callers") && row.contains("p50 with 1 caller"))
                .anyMatch(row -> row.contains("calls/s, 4 callers"))
                .allMatch(row -> row.contains("×"));
        // The peers beside us: every figure, each with a best peer and our ratio to it.
        List<String> peerRows = stdout.lines().dropWhile(line -> !line.startsWith("### Peers"))
                .filter(line -> line.startsWith("| ") && !line.startsWith("| figure ") && !line.startsWith("| --"))
                .toList();
        List<String> peerHeader = stdout.lines().dropWhile(line -> !line.startsWith("### Peers"))
                .filter(line -> line.startsWith("| figure ")).findFirst()
                .map(line -> Arrays.stream(line.split("\\|")).map(String::trim).filter(cell -> !cell.isEmpty())
                        .toList())
                .orElse(List.of());
        assertThat(peerHeader).containsExactly("figure", "better", "rpc-parallel", "raw Thrift child JVM",
                "RMI child JVM", "gRPC child JVM", "Python spawn", "Python forkserver", "best peer",
                "rpc-parallel ÷ best peer");
        assertThat(peerRows).anyMatch(row -> row.startsWith("| spawn to first answer, cold "))
                .anyMatch(row -> row.startsWith("| spawn to first answer, warm pool "))
                .anyMatch(row -> row.startsWith("| idle RSS of the worker/child "))
                .anyMatch(row -> row.startsWith("| round trip 32 B, p50 "))
                .anyMatch(row -> row.startsWith("| round trip 32 B, p99, "))
                .anyMatch(row -> row.startsWith("| calls/s, 64 in flight, 32 B "))
                .anyMatch(row -> row.startsWith("| 1 MiB echo, MB/s "))
                .anyMatch(row -> row.startsWith("| 16 MiB echo, MB/s "))
                // the call figures once with rpc-parallel on its default transport (unix), once on TCP
                .filteredOn(row -> row.contains(", rpc-parallel on unix ")).hasSize(5);
        assertThat(peerRows).filteredOn(row -> row.contains(", rpc-parallel on TCP ")).hasSize(5);
        assertThat(peerRows).hasSize(13)
                .allMatch(row -> row.matches(".*\\| \\d+\\.\\d\\d× \\((ahead|behind)\\) *\\|$"));
        // The JVM peers always run; each has a value in every row (the Python ones may be skipped).
        assertThat(peerRows).noneMatch(row -> row.contains("| failed "));
        // Every measured row has a ratio; only the rows of features not built yet do not.
        assertThat(rows).allMatch(row -> row.contains("×") || row.contains("not available yet")
                || row.contains("shut down"));
    }
    /**
     * {@code --only tail} (what {@code benchmarks/tail-profile} runs under perf): every contender's
     * calls written with their starts on the clock of {@link System#nanoTime} (Linux's
     * {@code CLOCK_MONOTONIC}, shared by the processes of the machine and by perf's stamps), which
     * {@link TailAttribution} reads back.
     */
    @Test
    void quickTailRunWritesEachCallOnTheMachinesMonotonicClock() throws Exception {
        Path trace = dir.resolve("calls.txt");
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder("sh", SCRIPT.toAbsolutePath().toString(), "--no-build", "--quick",
                "--only", "tail").redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("BENCH_JVM_OPTS", "-D" + TailTrace.PROPERTY + "=" + trace);
        long before = System.nanoTime();
        Process process = builder.start();
        boolean finished = process.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        long after = System.nanoTime();
        assertThat(finished).as("benchmarks/run --quick --only tail finished; stderr:\n" + Files.readString(err, UTF_8))
                .isTrue();
        assertThat(process.exitValue()).as("exit status; stderr:\n" + Files.readString(err, UTF_8)).isZero();

        TailAttribution.Trace read = TailAttribution.Trace.read(trace);
        assertThat(read.javaNames()).as("the harness's threads named by jcmd").containsEntry(read.callerTid(), "main");
        assertThat(read.contenders()).extracting(TailAttribution.Contender::name)
                .contains("rpc-parallel (unix)", "rpc-parallel over TCP (thrift)", "raw Thrift child JVM",
                        "RMI child JVM", "gRPC child JVM");
        for (TailAttribution.Contender contender : read.contenders()) {
            if (contender.name().startsWith("Python")) {
                assertThat(contender.starts()).as(contender.name() + " times its own calls").isEmpty();
                continue;
            }
            assertThat(Arrays.stream(contender.starts()).boxed().toList()).as(contender.name()).isNotEmpty()
                    .allMatch(start -> start > before && start < after);
            assertThat(Arrays.stream(contender.lengths()).boxed().toList()).allMatch(length -> length > 0);
        }
    }
}
