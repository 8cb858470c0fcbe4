package dev.rpcparallel.sample.tour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.sample.AppOutcome;
import org.junit.jupiter.api.Test;

/** The tour's arguments: help and mistakes are answered without starting a worker. */
class TourAppTest {

    private static AppOutcome run(String... args) {
        return AppOutcome.of(new TourApp()::run, args);
    }

    @Test
    void helpPrintsTheUsageAndRunsNothing() {
        AppOutcome outcome = run("--help");

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.out()).startsWith("Usage: tour [-h]")
                .contains("Calls a function of every kind", "Takes no arguments.", "-h, --help",
                        "Exit codes: 0 success, 1 failure, 2 bad arguments.")
                .doesNotContain("rpc: square");
        assertThat(outcome.err()).isEmpty();
    }

    @Test
    void anUnexpectedArgumentIsABadArgument() {
        AppOutcome outcome = run("--workers", "3");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).startsWith("Unknown options: '--workers', '3'").contains("Usage: tour [-h]");
        assertThat(outcome.out()).isEmpty();
    }
}
