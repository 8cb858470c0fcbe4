package dev.rpcparallel.sample.primes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.sample.AppOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the app end to end in this JVM as master, with two real worker processes. Needs the
 * launcher's runtime (a test dependency) and the real codecs.
 */
class PrimesAppIT {

    @Test
    void countsThePrimesBelowTenMillionOnTwoWorkers() throws Exception {
        AppOutcome outcome = PrimesAppTest.run("--workers", "2", "--limit", "10000000");

        assertThat(outcome.exitCode()).as("exit code; stderr:%n%s", outcome.err()).isZero();
        assertThat(outcome.out())
                .contains("primes below 10000000: 664579")
                .containsPattern("wall time: \\d+\\.\\d{3} s on 2 workers \\(16 chunks\\)");
        assertThat(outcome.err()).as("plain progress lines by default when stderr is not a terminal")
                .contains("progress: 0/16 chunks").contains("progress: 16/16 chunks");
    }

    @Test
    void withProgressPrintsPlainProgressLinesWhenNotOnATerminal() throws Exception {
        AppOutcome outcome = PrimesAppTest.run("--workers", "2", "--limit", "1e7", "--chunks", "6", "--progress");

        assertThat(outcome.exitCode()).as("exit code; stderr:%n%s", outcome.err()).isZero();
        assertThat(outcome.out()).contains("primes below 10000000: 664579");
        List<String> progress = outcome.err().lines().filter(line -> line.startsWith("progress: ")).toList();
        assertThat(progress).first().isEqualTo("progress: 0/6 chunks");
        assertThat(progress).last().asString().matches("progress: 6/6 chunks, \\d+(\\.\\d+)?/s");
        assertThat(outcome.err()).doesNotContain("\r");
    }

    @Test
    void comparesWithOneWorker() throws Exception {
        AppOutcome outcome = PrimesAppTest.run("--workers", "2", "--limit", "1e6", "--chunks", "5", "--compare",
                "--no-progress");

        assertThat(outcome.exitCode()).as("exit code; stderr:%n%s", outcome.err()).isZero();
        assertThat(outcome.err()).as("--no-progress").doesNotContain("progress");
        assertThat(outcome.out())
                .contains("primes below 1000000: 78498")
                .containsPattern("one worker: \\d+\\.\\d{3} s, speedup: \\d+\\.\\d{2}x");
    }
}
