package dev.rpcparallel.sample.primestream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.sample.AppOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The app's arguments and help; no workers. */
class PrimeStreamAppTest {

    /** The exit code and what the app printed. */

    static AppOutcome run(String... args) {
        return AppOutcome.of(new PrimeStreamApp()::run, args);
    }

    @Test
    void printsHelp() {
        AppOutcome outcome = run("--help");

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.out()).contains("Usage: primestream", "--limit=L", "--take=K", "--delay-ms=MS",
                "--[no-]progress", "backpressure", "cancellation", "Exit codes: 0 success, 1 failure, 2 bad arguments.");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--take 0 | --take must be between 1 and 100000, not 0",
        "--delay-ms -1 | --delay-ms must be between 0 and 1000, not -1",
        "--limit 2e12 | --limit: ",
        "--limit ten | --limit: ",
        "--limit 0 | --limit must be at least 3, not 0: there is no prime below 0, so there would be nothing to stream",
        "--limit 2 | --limit must be at least 3, not 2: there is no prime below 2, so there would be nothing to stream",
    })
    void rejectsBadArgumentsWithExitCodeTwo(String args, String message) {
        AppOutcome outcome = run(args.split(" "));

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains(message);
        assertThat(outcome.out()).isEmpty();
    }
}
