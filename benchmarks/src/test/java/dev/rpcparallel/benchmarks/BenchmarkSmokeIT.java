package dev.rpcparallel.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
        boolean finished = process.waitFor(3, TimeUnit.MINUTES);
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
                .anyMatch(row -> row.startsWith("| 2.8 ") && row.contains("shut down"));
        // Every measured row has a ratio; only the rows of features not built yet do not.
        assertThat(rows).allMatch(row -> row.contains("×") || row.contains("not available yet")
                || row.contains("shut down"));
    }
}
