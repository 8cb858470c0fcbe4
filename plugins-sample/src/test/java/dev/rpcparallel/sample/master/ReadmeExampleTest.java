package dev.rpcparallel.sample.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's master example is this module's {@link PrimesMaster}, word for word: the fenced
 * block after the README's marker comment must equal the source file, whitespace normalised.
 */
class ReadmeExampleTest {
    private static final String SOURCE = "plugins-sample/src/main/java/dev/rpcparallel/sample/master/PrimesMaster.java";
    private static final String MARKER = "<!-- example: " + SOURCE + " -->";

    @Test
    void theReadmeShowsPrimesMasterAsItIs() throws IOException {
        // Tests run in the module's directory; the README is at the root of the project.
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        String source = Files.readString(Path.of("..", SOURCE), StandardCharsets.UTF_8);

        assertThat(normalise(fencedBlockAfter(readme, MARKER))).isEqualTo(normalise(source));
    }

    @Test
    void normalisingIgnoresBlanksButNotWords() {
        assertThat(normalise("  a  b \n\n\n c\t\n")).isEqualTo(normalise("a b\n c"));
        assertThat(normalise("a b")).isNotEqualTo(normalise("a c"));
        assertThat(normalise("a b")).isNotEqualTo(normalise("ab"));
    }

    @Test
    void theBlockIsTheFirstFencedBlockAfterTheMarker() {
        String markdown = "```java\nbefore\n```\n<!-- m -->\n\n```java\nint a;\n  int b;\n```\n```java\nno\n```\n";
        assertThat(fencedBlockAfter(markdown, "<!-- m -->")).isEqualTo("int a;\n  int b;");
        assertThatThrownBy(() -> fencedBlockAfter("no marker here", "<!-- m -->"))
                .hasMessageContaining("the README has no marker <!-- m --> before the example");
    }

    /** The content of the first fenced code block after {@code marker}. */
    static String fencedBlockAfter(String markdown, String marker) {
        int at = markdown.indexOf(marker);
        if (at < 0) {
            throw new AssertionError("the README has no marker " + marker + " before the example; put it on the line"
                    + " before the example's fenced block");
        }
        List<String> lines = markdown.substring(at + marker.length()).lines().toList();
        int open = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().startsWith("```")) {
                if (open < 0) {
                    open = i;
                } else {
                    return String.join("\n", lines.subList(open + 1, i));
                }
            }
        }
        throw new AssertionError("no fenced code block after " + marker);
    }

    /** Lines with runs of blanks made one space and ends trimmed, blank lines dropped. */
    static String normalise(String text) {
        return text.lines()
                .map(line -> line.strip().replaceAll("\\s+", " "))
                .filter(line -> !line.isEmpty())
                .collect(Collectors.joining("\n"));
    }
}
