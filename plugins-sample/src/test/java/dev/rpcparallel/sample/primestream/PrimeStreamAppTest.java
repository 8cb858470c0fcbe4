package dev.rpcparallel.sample.primestream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The app's arguments and help; no workers. */
class PrimeStreamAppTest {

    /** The exit code and what the app printed. */
    record Outcome(int exitCode, String out, String err) {}

    static Outcome run(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Charset charset = Charset.defaultCharset();
        try {
            System.setOut(new PrintStream(out, true, charset));
            System.setErr(new PrintStream(err, true, charset));
            int exitCode = new PrimeStreamApp().run(List.of(args));
            return new Outcome(exitCode, out.toString(charset), err.toString(charset));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    @Test
    void printsHelp() {
        Outcome outcome = run("--help");

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
        Outcome outcome = run(args.split(" "));

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains(message);
        assertThat(outcome.out()).isEmpty();
    }
}
