package dev.rpcparallel.sample.primes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.sample.AppOutcome;
import dev.rpcparallel.sample.primes.Primes.Range;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the app does before it spawns anything: its arguments, help and chunking. */
class PrimesAppTest {

    /** The exit code and what the app printed. */

    static AppOutcome run(String... args) {
        return AppOutcome.of(new PrimesApp()::run, args);
    }

    @Test
    void isNamedPrimes() {
        PrimesApp app = new PrimesApp();
        assertThat(app.name()).isEqualTo("primes");
        assertThat(app.description()).isNotBlank().doesNotContain("\n");
    }

    @Test
    void printsHelp() throws Exception {
        AppOutcome outcome = run("--help");

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.out()).contains("Usage: primes", "--workers=N", "--limit=L", "--chunks=C", "--compare",
                "--[no-]progress", "--help");
        assertThat(outcome.err()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--workers 0 | --workers must be between 1 and 256, not 0",
        "--workers 257 | --workers must be between 1 and 256, not 257",
        "--workers many | Invalid value for option '--workers': 'many' is not an int",
        "--chunks 0 | --chunks must be between 1 and 1000000, not 0",
        "--limit abc | Invalid value for option '--limit': 'abc' is not a number",
        "--limit 1e13 | Invalid value for option '--limit': '1e13' is too large: the maximum is 1000000000000",
        "--limit | Missing required parameter for option '--limit'",
        "--frobnicate | Unknown option: '--frobnicate'",
        "extra | Unmatched argument at index 0: 'extra'",
    })
    void rejectsBadArgumentsWithExitCode2(String args, String message) throws Exception {
        AppOutcome outcome = run(args.split(" "));

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).startsWith(message).contains("Usage: primes");
        assertThat(outcome.out()).isEmpty();
    }

    @Test
    void splitsTheRangeIntoContiguousChunks() {
        assertThat(PrimesApp.chunks(10, 3)).containsExactly(new Range(0, 3), new Range(3, 6), new Range(6, 10));
        assertThat(PrimesApp.chunks(5, 16)).hasSize(5).allMatch(r -> r.to() - r.from() == 1);
        assertThat(PrimesApp.chunks(0, 8)).containsExactly(new Range(0, 0));

        List<Range> big = PrimesApp.chunks(1_000_000_000_000L, PrimesApp.MAX_CHUNKS);
        assertThat(big).hasSize(PrimesApp.MAX_CHUNKS);
        assertThat(big.get(0).from()).isZero();
        assertThat(big.get(big.size() - 1).to()).isEqualTo(1_000_000_000_000L);
        for (int i = 1; i < big.size(); i++) {
            assertThat(big.get(i).from()).isEqualTo(big.get(i - 1).to());
        }
    }
}
