package dev.rpcparallel.sample.tour;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tour's arguments: help and mistakes are answered without starting a worker. */
class TourAppTest {

    private record Outcome(int exitCode, String out, String err) {}

    private static Outcome run(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Charset charset = Charset.defaultCharset();
        try {
            System.setOut(new PrintStream(out, true, charset));
            System.setErr(new PrintStream(err, true, charset));
            int exitCode = new TourApp().run(List.of(args));
            return new Outcome(exitCode, out.toString(charset), err.toString(charset));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    @Test
    void helpPrintsTheUsageAndRunsNothing() {
        Outcome outcome = run("--help");

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.out()).startsWith("Usage: tour [-h]")
                .contains("Calls a function of every kind", "Takes no arguments.", "-h, --help",
                        "Exit codes: 0 success, 1 failure, 2 bad arguments.")
                .doesNotContain("rpc: square");
        assertThat(outcome.err()).isEmpty();
    }

    @Test
    void anUnexpectedArgumentIsABadArgument() {
        Outcome outcome = run("--workers", "3");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).startsWith("Unknown options: '--workers', '3'").contains("Usage: tour [-h]");
        assertThat(outcome.out()).isEmpty();
    }
}
