package dev.rpcparallel.sample.calculator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.sample.AppOutcome;
import org.junit.jupiter.api.Test;

/** The calculator's arguments: help and mistakes are answered without starting a worker. */
class CalculatorAppTest {

    @Test
    void helpPrintsTheUsageAndRunsNothing() {
        AppOutcome outcome = AppOutcome.of(new CalculatorApp()::run, "--help");

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.out()).startsWith("Usage: calculator [-h] [--calls=N] [--threads=N]")
                .contains("Thrift service Calculator", "Exit codes: 0 success, 1 failure, 2 bad arguments.")
                .doesNotContain("spawned");
    }

    @Test
    void aThreadCountOutOfRangeIsABadArgument() {
        AppOutcome outcome = AppOutcome.of(new CalculatorApp()::run, "--threads", "0");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).startsWith("--threads must be 1 to 64 and --calls 1 to 100000, not 0 and 200");
        assertThat(outcome.out()).isEmpty();
    }
}
