package dev.rpcparallel.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    private static final List<String> APPS = List.of("primes", "primestream", "tour", "wordcount");

    @Test
    void closeNamesComeClosestFirst() {
        assertThat(Suggestions.closeTo("prime", APPS)).containsExactly("primes", "primestream");
        assertThat(Suggestions.closeTo("tuor", APPS)).containsExactly("tour");
        assertThat(Suggestions.closeTo("WordCont", APPS)).containsExactly("wordcount");
        assertThat(Suggestions.closeTo("word", APPS)).containsExactly("wordcount");
    }

    @Test
    void farNamesAreNotSuggested() {
        assertThat(Suggestions.closeTo("quux", APPS)).isEmpty();
        assertThat(Suggestions.closeTo("p", APPS)).isEmpty();
    }

    @Test
    void distanceCountsSingleCharacterEdits() {
        assertThat(Suggestions.distance("prime", "primes")).isEqualTo(1);
        assertThat(Suggestions.distance("tuor", "tour")).isEqualTo(2);
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
        assertThat(Suggestions.distance("same", "same")).isZero();
    }
}
