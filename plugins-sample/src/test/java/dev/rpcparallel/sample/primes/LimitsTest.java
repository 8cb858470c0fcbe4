package dev.rpcparallel.sample.primes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LimitsTest {
    private static final long MAX = 1_000_000_000_000L;

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "0 | 0",
        "7 | 7",
        "100000000 | 100000000",
        "100_000_000 | 100000000",
        "1_0 | 10",
        "' 42 ' | 42",
        "1e9 | 1000000000",
        "1E9 | 1000000000",
        "2.5e6 | 2500000",
        "1e0 | 1",
        "10^9 | 1000000000",
        "2^39 | 549755813888",
        "10^12 | 1000000000000",
        "1e12 | 1000000000000",
        "1^1000 | 1",
        "0^5 | 0",
        "7^0 | 1",
    })
    void parses(String text, long expected) {
        assertThat(Limits.parse(text, MAX)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "-5", "+5", "1.5", "1e", "e9", "10^", "^9", "0x10", "1,000", "1e-3"})
    void rejectsWhatIsNotANumber(String text) {
        assertThatThrownBy(() -> Limits.parse(text, MAX))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'" + text + "' is not a number");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1000000000001", "99999999999999999999999", "1e13", "1e999999999", "10^13", "2^40", "2^1000000"})
    void rejectsWhatIsTooLarge(String text) {
        assertThatThrownBy(() -> Limits.parse(text, MAX))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is too large: the maximum is 1000000000000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5e0", "1.25e1"})
    void rejectsFractions(String text) {
        assertThatThrownBy(() -> Limits.parse(text, MAX))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is not a whole number");
    }
}
