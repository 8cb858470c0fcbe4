package dev.rpcparallel.launcher;

import dev.rpcparallel.launcher.fork.WorkerCommand;
import dev.rpcparallel.launcher.fork.WorkerExit;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.ForegroundWorker;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.Redirect;
import dev.rpcparallel.api.RemoteException;
import dev.rpcparallel.api.ShutdownOn;
import dev.rpcparallel.api.SpawnException;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerFailedException;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Kinds;
import dev.rpcparallel.launcher.testplugins.Lifecycle;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Worker deaths, failure callbacks, redirects, spawn options and shutdown modes, with real processes. */
class LifecycleIT {

    @TempDir
    Path dir;

    @AfterAll
    static void shutDown() {
        Parallel.shutdownWorkers();
    }

    private static ProcessHandle processOf(Connection connection) {
        return ProcessHandle.of(connection.call(Lifecycle.PID, null)).orElseThrow();
    }

    @Test
    void workerKilledMidCallFailsEveryPendingCallNamingSignal9AndTellsTheCallbackOnce() throws Exception {
        List<WorkerFailedException> failures = new CopyOnWriteArrayList<>();
        WorkerRef worker = Parallel.spawn(Lifecycle.TYPE, null,
                SpawnOptions.builder().name("victim").onFailure(failures::add).build());
        try (Connection connection = Parallel.connect(worker)) {
            ProcessHandle process = processOf(connection);
            List<CompletableFuture<Long>> pending = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                pending.add(connection.callAsync(Lifecycle.SLEEP, 600_000L));
            }
            // All three are running in the worker (asked on the same connection) when it is killed.
            await().atMost(Duration.ofSeconds(30)).until(() -> connection.call(Lifecycle.SLEEPING, null) == 3);
            assertThat(pending).noneMatch(CompletableFuture::isDone);

            long killed = System.nanoTime();
            process.destroyForcibly(); // SIGKILL
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                    .until(() -> pending.stream().allMatch(CompletableFuture::isDone));
            System.out.printf("pending calls failed %d ms after SIGKILL%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
            for (CompletableFuture<Long> call : pending) {
                assertThatThrownBy(call::join).cause()
                        .isInstanceOf(ConnectionException.class)
                        .hasMessageContaining("worker 'victim'")
                        .hasMessageContaining("function 'sleep'")
                        .hasMessageContaining("the worker process died: killed by signal 9 (SIGKILL)");
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> failures.size() == 1);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> failures.size() == 1);
            assertThat(failures.get(0).workerName()).isEqualTo("victim");
            assertThat(failures.get(0).exitStatus()).contains("killed by signal 9 (SIGKILL) (exit status 137)");
            assertThat(failures.get(0)).hasMessageContaining("Worker 'victim' died: killed by signal 9");
        }
    }

    @Test
    void exceptionAfterReturnReachesTheCallbackWithTheRemoteStackAndTheStderrFileAndTheWorkerExits() throws Exception {
        Path stderr = dir.resolve("stderr.log");
        List<WorkerFailedException> failures = new CopyOnWriteArrayList<>();
        WorkerRef worker = Parallel.spawn(Lifecycle.TYPE, null, SpawnOptions.builder().name("late-failure")
                .redirectStderr(Redirect.toFile(stderr)).onFailure(failures::add).build());
        try (Connection connection = Parallel.connect(worker)) {
            ProcessHandle process = processOf(connection);
            connection.call(Lifecycle.THROW_LATER, "failed after returning");

            await().atMost(Duration.ofSeconds(10)).until(() -> failures.size() == 1);
            WorkerFailedException failure = failures.get(0);
            assertThat(failure).hasMessageContaining("Worker 'late-failure' failed: an exception in thread"
                    + " 'background-failure' reached no caller: java.lang.IllegalStateException: failed after returning");
            assertThat(failure.getCause()).isInstanceOfSatisfying(RemoteException.class,
                    remote -> assertThat(remote.remoteStackTrace()).contains("Lifecycle.failInBackground"));

            process.onExit().get(10, TimeUnit.SECONDS);
            assertThat(Files.readString(stderr, UTF_8))
                    .contains("rpc-parallel: thread 'background-failure' failed: java.lang.IllegalStateException:"
                            + " failed after returning")
                    .contains("Lifecycle.failInBackground");
        }
        // The callback fired for the report; the non-zero exit that follows does not fire it again.
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> failures.size() == 1);
    }

    @Test
    void oneWayExceptionReachesTheCallbackAndTheWorkerExitsWithStatus6() throws Exception {
        List<WorkerFailedException> failures = new CopyOnWriteArrayList<>();
        // In the foreground: the test holds the Process, and so its exit status.
        ForegroundWorker foreground = Parallel.spawnInForeground(Kinds.TYPE, null, SpawnOptions.builder()
                .name("one-way-failure").onFailure(failures::add).build());
        Process process = foreground.process();
        CompletableFuture<String> stderr = readAllAsync(process.getErrorStream());
        try (Connection connection = Parallel.connect(foreground.worker())) {
            connection.oneWay(Kinds.NOTE, "fail");
            await().atMost(Duration.ofSeconds(10)).until(() -> failures.size() == 1);
        }
        assertThat(failures.get(0)).hasMessageContaining("Worker 'one-way-failure' failed: an exception in"
                + " worker 'one-way-failure', one-way function 'note' reached no caller");
        assertThat(failures.get(0).getCause()).isInstanceOfSatisfying(RemoteException.class,
                remote -> assertThat(remote.remoteStackTrace()).contains("KindsWorker"));
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(6).isEqualTo(WorkerExit.REPORTED_FAILURE);
        assertThat(stderr.get(10, TimeUnit.SECONDS)).contains("one-way function 'note'");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> failures.size() == 1);
    }

    @Test
    void workerWhoseLifelineClosesWithoutGoodbyeTakesItsMasterForGoneAndExitsWithStatus5() throws Exception {
        List<WorkerFailedException> failures = new CopyOnWriteArrayList<>();
        ForegroundWorker foreground = Parallel.spawnInForeground(Lifecycle.TYPE, null, SpawnOptions.builder()
                .name("orphaned").onFailure(failures::add).build());
        Process process = foreground.process();
        CompletableFuture<String> stderr = readAllAsync(process.getErrorStream());
        try (Connection connection = Parallel.connect(foreground.worker())) {
            assertThat(connection.call(Lifecycle.PID, null)).isEqualTo(process.pid());
        }
        // What a master's death looks like to the worker: its stdin ends, with no goodbye byte.
        process.getOutputStream().close();

        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(5).isEqualTo(WorkerExit.MASTER_GONE);
        assertThat(stderr.get(10, TimeUnit.SECONDS))
                .contains("rpc-parallel worker 'orphaned': its master has gone (stdin closed); exiting");
        await().atMost(Duration.ofSeconds(5)).until(() -> failures.size() == 1);
        assertThat(failures.get(0).exitStatus()).contains("exit code 5");
    }

    /** Reads a stream to its end in the background: a foreground worker's output must be drained. */
    private static CompletableFuture<String> readAllAsync(java.io.InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void stdoutToATruncatedFileAndStderrAppendedKeepEverythingPrintedUpToAFailureExit() throws Exception {
        Path out = Files.writeString(dir.resolve("out.log"), "old content\n");
        Path err = Files.writeString(dir.resolve("err.log"), "before\n");
        WorkerRef worker = Parallel.spawn(Lifecycle.TYPE, null, SpawnOptions.builder().name("files")
                .redirectStdout(Redirect.toFile(out)).redirectStderr(Redirect.appendTo(err))
                .onFailure(failure -> { }).build());
        try (Connection connection = Parallel.connect(worker)) {
            ProcessHandle process = processOf(connection);
            connection.call(Lifecycle.PRINT, "hello");
            connection.call(Lifecycle.PRINT_AND_EXIT, 3);
            process.onExit().get(10, TimeUnit.SECONDS);
        }
        List<String> lines = Files.readAllLines(out, UTF_8);
        assertThat(lines).doesNotContain("old content").startsWith("out: hello", "line 1").endsWith("line 1000");
        assertThat(lines).hasSize(1001);
        assertThat(Files.readString(err, UTF_8)).startsWith("before\nerr: hello\n");
    }

    @Test
    void defaultRedirectPrefixesLinesOnTheMastersStreamsAndDiscardDropsThem() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        WorkerRef prefixed;
        WorkerRef discarded;
        System.setOut(new PrintStream(captured, true, UTF_8));
        try {
            prefixed = Parallel.spawn(Lifecycle.TYPE, null, SpawnOptions.builder().name("chatty").build());
            discarded = Parallel.spawn(Lifecycle.TYPE, null, SpawnOptions.builder().name("muted")
                    .redirectStdout(Redirect.discard()).build());
        } finally {
            System.setOut(original);
        }
        try (Connection chatty = Parallel.connect(prefixed); Connection muted = Parallel.connect(discarded)) {
            chatty.call(Lifecycle.PRINT, "visible");
            muted.call(Lifecycle.PRINT, "invisible");
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> captured.toString(UTF_8).contains("[worker chatty] out: visible"));
        }
        Parallel.shutdown(prefixed);
        Parallel.shutdown(discarded);
        assertThat(captured.toString(UTF_8)).doesNotContain("invisible");
    }

    @Test
    void environmentValuesWithSpecialCharactersArriveIntact() {
        String value = "a \"quoted\" 'single' \\back\\slash $HOME ${PATH} spaced  out\nsecond line\ttab";
        WorkerRef worker = Parallel.spawn(Lifecycle.TYPE, null, SpawnOptions.builder()
                .putEnvironment("RPC_PARALLEL_TEST_VALUE", value).build());
        try (Connection connection = Parallel.connect(worker)) {
            assertThat(connection.call(Lifecycle.ENV, "RPC_PARALLEL_TEST_VALUE")).isEqualTo(value);
        } finally {
            Parallel.shutdown(worker);
        }
    }

    @Test
    void workingDirectoryAndJvmOptionsAddedOrReplacing() {
        WorkerRef added = Parallel.spawn(Lifecycle.TYPE, null, SpawnOptions.builder()
                .workingDirectory(dir).addJvmOptions("-Drpcparallel.test=added").build());
        WorkerRef replaced = Parallel.spawn(Lifecycle.TYPE, null, SpawnOptions.builder()
                .inheritJvmOptions(false).addJvmOptions("-Xmx96m", "-Drpcparallel.test=only").build());
        try (Connection a = Parallel.connect(added); Connection r = Parallel.connect(replaced)) {
            assertThat(Path.of(a.call(Lifecycle.CWD, null))).isEqualTo(dir.toAbsolutePath());
            // What is inherited from a master with options: WorkerJvmOptionsIT, with a master of its own.
            assertThat(a.call(Lifecycle.JVM_ARGS, null)).endsWith("-Drpcparallel.test=added");
            assertThat(r.call(Lifecycle.JVM_ARGS, null)).containsExactly("-Xmx96m", "-Drpcparallel.test=only");
        } finally {
            Parallel.shutdown(added);
            Parallel.shutdown(replaced);
        }
    }

    @Test
    void foregroundSpawnHandsTheProcessAndItsOutputToTheCaller() throws Exception {
        ForegroundWorker foreground = Parallel.spawnInForeground(Lifecycle.TYPE, null,
                SpawnOptions.builder().name("foreground").build());
        try (BufferedReader out = new BufferedReader(new InputStreamReader(foreground.process().getInputStream(), UTF_8));
                Connection connection = Parallel.connect(foreground.worker())) {
            assertThat(foreground.process().pid()).isEqualTo(connection.call(Lifecycle.PID, null));
            connection.call(Lifecycle.PRINT, "to the caller");
            assertThat(out.readLine()).isEqualTo("out: to the caller");
            connection.shutdownWorker();
            assertThat(foreground.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(foreground.process().exitValue()).isZero();
        }
    }

    @Test
    void spawnAndConnectWorkerExitsWhenItsConnectionCloses() throws Exception {
        ProcessHandle process;
        try (Connection connection = Parallel.spawnAndConnect(Lifecycle.TYPE, null, null,
                SpawnOptions.builder().name("until-closed").build())) {
            process = processOf(connection);
            assertThat(connection.call(Lifecycle.SLEEP, 1L)).isEqualTo(1L);
        }
        assertThat(process.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
    }

    @Test
    void connectionClosedWorkerThatNobodyConnectsToExitsAfterTheConnectionTimeout() throws Exception {
        WorkerRef worker = Parallel.spawn(Lifecycle.TYPE, null, SpawnOptions.builder().name("lonely")
                .shutdownOn(ShutdownOn.CONNECTION_CLOSED).connectionTimeout(Duration.ofSeconds(1)).build());
        ProcessHandle process = WorkerProcesses.named("lonely").orElseThrow();
        process.onExit().get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> Parallel.connect(worker)).isInstanceOf(ConnectionException.class);
    }

    @Test
    void calledShutdownWorkerSurvivesShutdownWorkersButNotShutdown() throws Exception {
        WorkerRef worker = Parallel.spawn(Lifecycle.TYPE, null, SpawnOptions.builder().name("durable")
                .shutdownOn(ShutdownOn.CALLED_SHUTDOWN).build());
        ProcessHandle process = WorkerProcesses.named("durable").orElseThrow();
        try {
            Parallel.shutdownWorkers();
            try (Connection connection = Parallel.connect(worker)) {
                assertThat(connection.call(Lifecycle.SLEEP, 1L)).isEqualTo(1L);
            }
            Parallel.shutdown(worker);
            process.onExit().get(10, TimeUnit.SECONDS);
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void workerMainClassNotFoundFailsSpawnWithTheJvmsOwnError() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty-classpath"));
        assertThatThrownBy(() -> Parallel.spawn(Lifecycle.TYPE, null, SpawnOptions.builder().name("lost")
                        .addJvmOptions("-cp", empty.toString()).build()))
                .isInstanceOf(SpawnException.class)
                .hasMessageContaining("Worker 'lost' (lifecycle) exited during start with exit code 1")
                .hasMessageContaining("Could not find or load main class " + WorkerCommand.WORKER_MAIN);
    }

    @Test
    void badJvmOptionFailsSpawnWithTheJvmsOwnError() {
        assertThatThrownBy(() -> Parallel.spawn(Lifecycle.TYPE, null, SpawnOptions.builder().name("misconfigured")
                        .addJvmOptions("-XX:+NoSuchOptionForRpcParallel").build()))
                .isInstanceOf(SpawnException.class)
                .hasMessageContaining("exited during start with exit code 1")
                .hasMessageContaining("Unrecognized VM option 'NoSuchOptionForRpcParallel'");
    }
}
