package dev.rpcparallel.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The application's Guava wins: a master run on the class path of an application that pins
 * Guava {@value #PINNED}, which lacks much of today's Guava (the runtime's former
 * {@code ImmutableList.toImmutableList} and {@code ImmutableMap.toImmutableMap} among it: with
 * them the master died at its first spawn with {@code NoSuchMethodError}), spawns workers (which
 * share that class path), calls them and exits cleanly; master and worker both see the
 * application's Guava. The class path is the launcher's runtime dependencies as Maven
 * gives them to an application that pins Guava (the runtime's own Guava, if it had one, gives way
 * to the application's), with the pinned Guava first; the dependency plugin puts both under
 * target/pinned-guava (see the pom).
 */
class PinnedGuavaIT {
    static final String PINNED = "16.0.1";
    private static final Path FILES = Path.of("target", "pinned-guava");

    @Test
    void anApplicationPinningAnOldGuavaSpawnsAndCallsWorkers() throws Exception {
        Path guava = FILES.resolve("guava-" + PINNED + ".jar").toAbsolutePath();
        assertThat(guava).exists();
        List<String> classpath = new ArrayList<>();
        classpath.add(guava.toString());
        classpath.add(Path.of("target", "test-classes").toAbsolutePath().toString());
        classpath.add(Path.of("target", "classes").toAbsolutePath().toString());
        String runtime = Files.readString(FILES.resolve("launcher-runtime.classpath"), UTF_8).strip();
        classpath.addAll(List.of(runtime.split(File.pathSeparator)));
        assertThat(classpath).filteredOn(entry -> Path.of(entry).getFileName().toString().startsWith("guava")).containsExactly(guava.toString());

        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", String.join(File.pathSeparator, classpath), PinnedGuavaMaster.class.getName());
        Process master = new ProcessBuilder(command).start();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(master.getInputStream()));
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(master.getErrorStream()));
        try {
            boolean exited = master.waitFor(120, TimeUnit.SECONDS);
            if (!exited) {
                master.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // its output then ends
            }
            String out = stdout.get(10, TimeUnit.SECONDS);
            String err = stderr.get(10, TimeUnit.SECONDS);
            String printed = String.format("it printed:%n%s%nand on stderr:%n%s", out, err);
            assertThat(exited).as("the master exited; %s", printed).isTrue();
            assertThat(master.exitValue()).as("the master's exit status; %s", printed).isZero();
            assertThat(out).as(printed).contains(
                    "MASTER GUAVA " + guava,
                    "WORKER GUAVA " + guava,
                    "ECHO echo: hello",
                    "FAILED on purpose",
                    "PIPE [0, 1, 2]",
                    "DONE");
            assertThat(out + err).as(printed).doesNotContain("NoSuchMethodError", "NoClassDefFoundError",
                    "IncompatibleClassChangeError");
        } finally {
            master.destroyForcibly();
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
