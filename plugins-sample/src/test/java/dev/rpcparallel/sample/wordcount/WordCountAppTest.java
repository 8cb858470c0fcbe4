package dev.rpcparallel.sample.wordcount;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.sample.AppOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The app's arguments and help, the counting rules, the corpus and the progress display; no workers. */
class WordCountAppTest {

    /** The exit code and what the app printed. */

    static AppOutcome run(String... args) {
        return AppOutcome.of(new WordCountApp()::run, args);
    }

    @Test
    void printsHelp() {
        AppOutcome outcome = run("--help");

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.out()).contains("Usage: wordcount", "[FILE...]", "--workers=N", "--top=K", "--compare",
                "--corpus-mb=MB", "--[no-]progress", "Exit codes: 0 success, 1 failure, 2 bad arguments.");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--workers 0 | --workers must be between 1 and 256, not 0",
        "--top -1 | --top must not be negative, not -1",
        "--corpus-mb 0 | --corpus-mb must be between 1 and 4096, not 0",
        "--frobnicate | Unknown option: '--frobnicate'",
    })
    void rejectsBadArgumentsWithExitCode2(String args, String message) {
        AppOutcome outcome = run(args.split(" "));

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).startsWith(message).contains("Usage: wordcount");
    }

    @Test
    void aMissingFileIsABadArgumentNamedInOneLine() {
        AppOutcome outcome = run("/no/such/file.txt");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).startsWith("no such file or directory: /no/such/file.txt (FILE names a text file,"
                        + " or a directory whose files are all read)" + System.lineSeparator())
                .contains("Usage: wordcount")
                .doesNotContain("Exception");
    }

    @Test
    void countsLowerCasedRunsOfLettersWithInnerApostrophes() {
        assertThat(WordCounter.count("The cat -- the CAT's hat; don't 'quote' 42x ünïcode"))
                .isEqualTo(Map.of("the", 2L, "cat", 1L, "cat's", 1L, "hat", 1L, "don't", 1L, "quote", 1L,
                        "x", 1L, "ünïcode", 1L));
        assertThat(WordCounter.count("")).isEmpty();
    }

    @Test
    void mergeAddsCountsAndTopSortsByCountThenWord() {
        Map<String, Long> merged = WordCounter.merge(new HashMap<>(Map.of("a", 1L, "b", 2L)), Map.of("b", 3L, "c", 5L));

        assertThat(merged).isEqualTo(Map.of("a", 1L, "b", 5L, "c", 5L));
        assertThat(WordCounter.top(merged, 2)).containsExactly(Map.entry("b", 5L), Map.entry("c", 5L));
        assertThat(WordCounter.top(merged, 10)).hasSize(3);
    }

    @Test
    void theCorpusIsTheSameForTheSameSeedAndLooksLikeEnglish(@TempDir Path a, @TempDir Path b) throws Exception {
        List<Path> first = Corpus.generate(a, 3, 20_000, 7);
        List<Path> second = Corpus.generate(b, 3, 20_000, 7);

        for (int i = 0; i < 3; i++) {
            assertThat(Files.readString(first.get(i))).isEqualTo(Files.readString(second.get(i)));
        }
        String text = Files.readString(first.get(0));
        assertThat(text.length()).isBetween(20_000, 20_200);
        assertThat(text.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
        assertThat(WordCounter.top(WordCounter.count(text), 1).get(0).getKey()).isEqualTo("the");
        assertThat(Corpus.text(new SplittableRandom(1), 1000)).isNotEqualTo(Corpus.text(new SplittableRandom(2), 1000));
    }
}
