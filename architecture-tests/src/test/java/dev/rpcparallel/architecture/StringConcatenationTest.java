package dev.rpcparallel.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The product's classes concatenate strings with {@code StringBuilder} code, not through
 * {@code invokedynamic} ({@code -XDstringConcat=inline} in the root pom): an indy concatenation
 * site is linked at its first use, and a worker met dozens of them before its first answer,
 * about a fifth of its CPU until then (BENCHMARKS.md, "A worker's start").
 */
class StringConcatenationTest {
    private static final byte[] BOOTSTRAP = "makeConcatWithConstants".getBytes(StandardCharsets.US_ASCII);

    @Test
    void noProductClassLinksAStringConcatenationAtRunTime() throws IOException {
        Path root = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
        // The modules this build compiled for these tests: the project's entries on the class path
        // (a module's target/classes, or the jar packaged from it), not whatever an older build
        // left in another module's target directory.
        List<Path> classTrees = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().normalize())
                .filter(entry -> entry.startsWith(root) && entry.getParent() != null
                        && entry.getParent().getFileName().toString().equals("target"))
                .map(entry -> entry.getParent().resolve("classes"))
                .filter(Files::isDirectory)
                .distinct()
                .toList();
        assertThat(classTrees).as("compiled main classes under %s", root).hasSizeGreaterThan(5);
        List<Path> classes = classTrees.stream().flatMap(StringConcatenationTest::classFiles).toList();
        assertThat(classes).as("class files").hasSizeGreaterThan(100);

        assertThat(classes.stream().filter(StringConcatenationTest::linksAConcatenation).map(root::relativize))
                .as("classes whose string concatenation is an invokedynamic site").isEmpty();
    }

    private static Stream<Path> classFiles(Path tree) {
        try (Stream<Path> files = Files.walk(tree)) {
            return files.filter(file -> file.toString().endsWith(".class")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean linksAConcatenation(Path classFile) {
        try {
            byte[] bytes = Files.readAllBytes(classFile);
            for (int i = 0; i + BOOTSTRAP.length <= bytes.length; i++) {
                if (bytes[i] == BOOTSTRAP[0]
                        && Arrays.equals(bytes, i, i + BOOTSTRAP.length, BOOTSTRAP, 0, BOOTSTRAP.length)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
