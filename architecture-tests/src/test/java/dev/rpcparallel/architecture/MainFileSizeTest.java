package dev.rpcparallel.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No hand-written main source file over {@value #LIMIT} lines: past that a class holds more than
 * one job. Generated sources (Thrift's, marked {@code @generated}) do not count.
 */
class MainFileSizeTest {
    static final int LIMIT = 400;

    @Test
    void noHandWrittenMainFileIsLongerThanTheLimit() throws IOException {
        Path root = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
        assertThat(tooLong(root)).as("hand-written main files over %d lines: cut them by job", LIMIT).isEmpty();
    }

    /** The hand-written main source files under {@code root}'s modules that are over the limit. */
    static List<String> tooLong(Path root) throws IOException {
        List<Path> mainTrees;
        try (Stream<Path> modules = Files.list(root)) {
            mainTrees = modules.map(module -> module.resolve("src/main/java")).filter(Files::isDirectory).toList();
        }
        assertThat(mainTrees).as("main source trees under %s", root).isNotEmpty();
        return mainTrees.stream()
                .flatMap(MainFileSizeTest::javaFiles)
                .filter(file -> !generated(file))
                .map(file -> root.relativize(file) + " (" + lines(file).size() + " lines)")
                .filter(described -> count(described) > LIMIT)
                .sorted()
                .toList();
    }

    private static Stream<Path> javaFiles(Path tree) {
        try {
            return Files.walk(tree).filter(file -> file.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean generated(Path file) {
        return lines(file).stream().limit(10).anyMatch(line -> line.contains("@generated"));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int count(String described) {
        String number = described.substring(described.lastIndexOf('(') + 1, described.lastIndexOf(" lines"));
        return Integer.parseInt(number);
    }
}
