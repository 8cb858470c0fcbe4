package dev.rpcparallel.sample.primes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.sample.primes.PrimesAppTest.Outcome;
import org.junit.jupiter.api.Test;

/**
 * Runs the app end to end in this JVM as master, with two real worker processes. Needs the
 * launcher's runtime (a test dependency) and the real codecs.
 */
class PrimesAppIT {

    @Test
    void countsThePrimesBelowTenMillionOnTwoWorkers() throws Exception {
        Outcome outcome = PrimesAppTest.run("--workers", "2", "--limit", "10000000");

        assertThat(outcome.exitCode()).as("exit code; stderr:%n%s", outcome.err()).isZero();
        assertThat(outcome.out())
                .contains("primes below 10000000: 664579")
                .containsPattern("wall time: \\d+\\.\\d{3} s on 2 workers \\(16 chunks\\)");
    }

    @Test
    void comparesWithOneWorker() throws Exception {
        Outcome outcome = PrimesAppTest.run("--workers", "2", "--limit", "1e6", "--chunks", "5", "--compare");

        assertThat(outcome.exitCode()).as("exit code; stderr:%n%s", outcome.err()).isZero();
        assertThat(outcome.out())
                .contains("primes below 1000000: 78498")
                .containsPattern("one worker: \\d+\\.\\d{3} s, speedup: \\d+\\.\\d{2}x");
    }
}
