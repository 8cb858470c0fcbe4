package dev.rpcparallel.sample.primestream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The segmented sieve against trial division, across segment boundaries. */
class PrimeGeneratorTest {

    private static boolean isPrime(long n) {
        if (n < 2) {
            return false;
        }
        for (long d = 2; d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    private static List<Long> generated(long from, long to) {
        List<Long> primes = new ArrayList<>();
        PrimeGenerator.forEachPrime(from, to, primes::add);
        return primes;
    }

    @ParameterizedTest(name = "[{0}, {1})")
    @CsvSource({"0, 0", "0, 2", "0, 3", "0, 1000", "65530, 65600", "131000, 262200", "999999000000, 999999010000"})
    void matchesTrialDivision(long from, long to) {
        assertThat(generated(from, to)).isEqualTo(LongStream.range(from, to).filter(PrimeGeneratorTest::isPrime).boxed().toList());
    }

    @Test
    void countsThePrimesBelowAMillion() {
        assertThat(generated(0, 1_000_000)).hasSize(78_498).endsWith(999_983L);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
        "-1 | 10 | the range must start at 0 or above, not -1",
        "0 | 1000000000001 | the range must end at 10^12 at most, not 1000000000001",
        "10 | 5 | the range [10, 5) ends before it starts",
    })
    void rejectsBadRanges(long from, long to, String message) {
        assertThatThrownBy(() -> PrimeGenerator.check(from, to)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
