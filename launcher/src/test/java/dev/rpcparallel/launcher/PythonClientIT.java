package dev.rpcparallel.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerAccess;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.registry.PluginRegistry;
import dev.rpcparallel.launcher.testplugins.Echo;
import dev.rpcparallel.testbackends.TestPython;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python client (clients/python, with its code generated from rpc_parallel.thrift) against
 * real workers: one served in this JVM and one spawned from it, reached through exported access
 * files, as a program in another language reaches them. Needs python3 with Apache Thrift's
 * Python library (Debian: python3-thrift): without it the tests skip with one line, except where
 * CI=true, where they fail.
 */
class PythonClientIT {
    private static String python;
    private static WorkerRef served;
    private static WorkerRef spawned;

    @BeforeAll
    static void findPythonAndStartWorkers() throws InterruptedException {
        python = TestPython.withThriftOrSkip("the Python client's tests");
        served = Parallel.serve(Echo.TYPE, "served:");
        spawned = Parallel.spawn(Echo.TYPE, "spawned:", SpawnOptions.builder().name("python-client-echo").build());
    }

    @AfterAll
    static void shutDown() {
        Parallel.shutdownWorkers();
    }

    @Test
    void callsAServedWorkerWithAStringAndARecordArgument() throws Exception {
        Path access = WorkerAccess.export(served);
        assertThat(run(access, "--connection-arg", "\"py\"", "call", "echo", "\"hello\"")).isEqualTo(ok("\"served:hello\""));
        assertThat(run(access, "--connection-arg", "\"c\"", "call", "add", "{\"left\": 40, \"right\": 2}")).isEqualTo(ok("42"));
        assertThat(run(access, "--connection-arg", "\"from-python\"", "call", "connectionLabel"))
                .isEqualTo(ok("\"from-python\""));
        assertThat(run(access, "call", "echo", "\"x\"")).isEqualTo(new Result(1, "",
                "rpc_parallel: worker type 'echo' takes a connection argument of type string: pass one"));
    }

    @Test
    void callsASpawnedWorker() throws Exception {
        Path access = WorkerAccess.export(spawned);
        assertThat(run(access, "--connection-arg", "\"c\"", "call", "echo", "\"\\u00e9t\\u00e9\"")).isEqualTo(ok("\"spawned:\\u00e9t\\u00e9\""));
        try (Connection java = Parallel.connect(spawned, Echo.TYPE, "java")) {
            assertThat(run(access, "--connection-arg", "\"c\"", "call", "pid").stdout()).isEqualTo(String.valueOf(java.call(Echo.PID, null)));
        }
    }

    @Test
    void anArgumentAndAResultLargerThanAFrameTravelInChunks(@TempDir Path dir) throws Exception {
        String large = "x".repeat(700_000); // over two CHUNK_SIZE pieces each way
        Path argument = Files.writeString(dir.resolve("argument.json"), "\"" + large + "\"", UTF_8);
        Result echoed = run(WorkerAccess.export(served), "--connection-arg", "\"c\"", "call", "echo", "@" + argument);
        assertThat(echoed.status()).as(echoed.stderr()).isZero();
        // Not compared as text: a failure would print 1.4 MB.
        assertThat(echoed.stdout().length()).isEqualTo(large.length() + "\"served:\"".length());
        assertThat(echoed.stdout()).startsWith("\"served:xxx").endsWith("xxx\"").matches("\"served:x+\"");
    }

    @Test
    void aFunctionsExceptionComesBackAsARemoteErrorWithItsTypeAndMessage() throws Exception {
        Path access = WorkerAccess.export(served);
        Result failed = run(access, "--connection-arg", "\"c\"", "call", "fail", "\"on purpose\"");
        assertThat(failed.status()).isEqualTo(3);
        assertThat(failed.stderr()).isEqualTo("remote error: origin=function 'fail'"
                + " type=dev.rpcparallel.launcher.testplugins.EchoWorker$DeliberateFailure message=on purpose");
        // The worker goes on serving.
        assertThat(run(access, "--connection-arg", "\"c\"", "call", "echo", "\"again\"")).isEqualTo(ok("\"served:again\""));
    }

    @Test
    void describeGivesTheIdsSignaturesInIdlTermsAndTheFingerprint() throws Exception {
        String description = run(WorkerAccess.export(served), "describe").stdout();
        assertThat(description).contains("\"workerType\": \"echo\"", "\"connectionArgType\": \"string\"",
                "\"fingerprint\": \"" + PluginRegistry.load(getClass().getClassLoader()).fingerprint() + "\"",
                "{\"id\": 1, \"name\": \"echo\", \"kind\": \"rpc\", \"signature\": \"(string) -> string\"}",
                "\"name\": \"add\", \"kind\": \"rpc\", \"signature\": \"(struct(left:i64,right:i64)) -> i64\"}",
                "\"name\": \"note\", \"kind\": \"one_way\"");
    }

    @Test
    void aServerThatDoesNotProveTheKeyIsLeftBeforeAnythingIsSent(@TempDir Path dir) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(WorkerAccess.export(served), UTF_8));
        lines.replaceAll(line -> line.startsWith("key=") ? "key=" + "A".repeat(43) + "=" : line);
        Path forged = dir.resolve("forged.access");
        Files.write(forged, lines, UTF_8);
        Files.setPosixFilePermissions(forged, PosixFilePermissions.fromString("rw-------"));
        Result refused = run(forged, "--connection-arg", "\"c\"", "call", "echo", "\"x\"");
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.stderr()).isEqualTo("rpc_parallel: the server at " + served.address()
                + " does not know the key of worker " + served.id());
    }

    private record Result(int status, String stdout, String stderr) {}

    private static Result ok(String stdout) {
        return new Result(0, stdout, "");
    }

    private static Result run(Path access, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python, "-m", "rpc_parallel", "--access", access.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("PYTHONPATH", TestPython.repositoryRoot().resolve("clients/python").toString());
        builder.environment().put("PYTHONIOENCODING", "utf-8");
        Process process = builder.start();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("the Python client did not finish within 120 s: " + command);
        }
        try {
            return new Result(process.exitValue(), stdout.get(30, TimeUnit.SECONDS).strip(),
                    stderr.get(30, TimeUnit.SECONDS).strip());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the Python client's output", e);
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
