package dev.rpcparallel.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README's table of exceptions lists every exception class of the API, and nothing else. */
class ExceptionTableTest {
    @Test
    void theReadmeTableListsEveryRpcParallelExceptionOfTheApi() throws Exception {
        Path classes = Path.of(RpcParallelException.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> exceptions = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace(java.io.File.separatorChar, '.')
                        .replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, getClass().getClassLoader());
                if (RpcParallelException.class.isAssignableFrom(type)) {
                    exceptions.add(type.getSimpleName());
                }
            }
        }
        assertThat(exceptions).contains("RpcParallelException", "SpawnException", "MessageTooLargeException");

        List<String> table = tableRows(Files.readString(readme(), UTF_8));
        assertThat(table).as("the exceptions in the README's table").containsExactlyInAnyOrderElementsOf(exceptions);
    }

    /** The first cells of the table that starts with {@code | exception | when |}. */
    private static List<String> tableRows(String readme) {
        List<String> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : readme.lines().toList()) {
            if (line.equals("| exception | when |")) {
                inTable = true;
            } else if (inTable && line.startsWith("| `")) {
                rows.add(line.substring(3, line.indexOf('`', 3)));
            } else if (inTable && !line.startsWith("| ---")) {
                break;
            }
        }
        return rows;
    }

    private static Path readme() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("api"))) {
                return dir.resolve("README.md");
            }
        }
        throw new IOException("no README.md above " + Path.of("").toAbsolutePath());
    }
}
