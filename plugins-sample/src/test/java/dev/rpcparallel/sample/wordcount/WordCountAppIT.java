package dev.rpcparallel.sample.wordcount;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.sample.AppOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the app in this JVM as master, with real worker processes. */
class WordCountAppIT {

    @Test
    void countsTheGeneratedCorpusOnOneAndTwoWorkersAndPrintsTheSpeedup() {
        AppOutcome outcome = WordCountAppTest.run("--corpus-mb", "4", "--top", "3", "--progress");

        assertThat(outcome.exitCode()).as("exit code; stderr:%n%s", outcome.err()).isZero();
        assertThat(outcome.out())
                .containsPattern("corpus: 8 generated files, 4\\.0 MB in \\S+rpc-parallel-wordcount-\\S+ \\(\\d+\\.\\d{3} s\\)")
                .containsPattern("1 worker:  \\d+\\.\\d{3} s counting")
                .containsPattern("2 workers: \\d+\\.\\d{3} s counting")
                .containsPattern("the 3 most frequent:\\R +[\\d,]+  the\\R +[\\d,]+  of\\R +[\\d,]+  and\\R")
                .containsPattern("speedup of 2 workers over 1: \\d+\\.\\d{2}x");
        assertThat(outcome.err()).contains("progress: 8/8 files");
        assertThat(Files.exists(Path.of(outcome.out().replaceAll("(?s).* in (\\S+) \\(.*", "$1")))).isFalse();
    }

    @Test
    void countsTheGivenFilesLikeASequentialCount(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.txt"), "the cat and the hat\n");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/b.txt"), "The Hat, the bat.\n");
        Map<String, Long> expected = WordCounter.count("the cat and the hat\nThe Hat, the bat.\n");

        AppOutcome outcome = WordCountAppTest.run(dir.toString(), "--workers", "2", "--top", "2");

        assertThat(outcome.exitCode()).as("exit code; stderr:%n%s", outcome.err()).isZero();
        assertThat(expected).containsEntry("the", 4L).containsEntry("hat", 2L);
        assertThat(outcome.out())
                .contains("input: 2 files")
                .containsPattern("9 words, 5 distinct; the 2 most frequent:\\R +4  the\\R +2  hat\\R")
                .doesNotContain("speedup");
    }
}
