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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The application's libthrift wins: a master run on the class path of an application that pins
 * an older libthrift spawns workers over the Thrift transport (which share that class path),
 * calls them, and encodes the application's own struct with {@code Codecs.thrift}. With the
 * transport's former generated envelope (Thrift compiler 0.25) this died at the first spawn with
 * {@code NoSuchMethodError: TProtocol.incrementRecursionDepth()} under 0.16; the transport now
 * needs no libthrift, and the struct codec uses the struct's own. The class path is the
 * launcher's runtime dependencies as Maven gives them to such an application (the runtime brings
 * no libthrift of its own), with the pinned libthrift and its SLF4J first; the dependency plugin
 * puts them under target/pinned-thrift (see the pom).
 */
class PinnedThriftIT {
    private static final Path FILES = Path.of("target", "pinned-thrift");

    @ParameterizedTest
    @ValueSource(strings = {"0.16.0", "0.20.0"})
    void anApplicationPinningAnOlderLibthriftSpawnsAndCallsWorkersAndEncodesItsOwnStructs(String version)
            throws Exception {
        Path thrift = FILES.resolve("libthrift-" + version + ".jar").toAbsolutePath();
        assertThat(thrift).exists();
        List<String> classpath = new ArrayList<>();
        classpath.add(thrift.toString());
        try (var slf4j = Files.list(FILES)) {
            slf4j.filter(jar -> jar.getFileName().toString().startsWith("slf4j-api"))
                    .forEach(jar -> classpath.add(jar.toAbsolutePath().toString()));
        }
        classpath.add(Path.of("target", "test-classes").toAbsolutePath().toString());
        classpath.add(Path.of("target", "classes").toAbsolutePath().toString());
        String runtime = Files.readString(FILES.resolve("launcher-runtime.classpath"), UTF_8).strip();
        classpath.addAll(List.of(runtime.split(File.pathSeparator)));
        assertThat(classpath).filteredOn(entry -> Path.of(entry).getFileName().toString().startsWith("libthrift"))
                .containsExactly(thrift.toString());

        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", String.join(File.pathSeparator, classpath), PinnedThriftMaster.class.getName());
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
                    "MASTER THRIFT " + thrift,
                    "WORKER THRIFT " + thrift,
                    "ECHO echo: hello",
                    "FAILED on purpose",
                    "STRUCT Point(42, the answer)",
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
