package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.MessageTooLargeException;
import dev.rpcparallel.api.Redirect;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnException;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Echo;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spawn options no process can carry and values over the maximum message size: each fails with
 * an exception of the documented hierarchy that names the problem, leaves nothing registered,
 * and the master and its worker (one spawned JVM, shared) keep serving.
 */
class BadInputIT {
    private static final int LIMIT = 64 * 1024;
    private static LauncherRuntime application;
    private static WorkerRef worker;

    @BeforeAll
    static void spawnWorker() {
        application = new LauncherRuntime();
        application.initMaster(RpcSettings.defaults().withMaxMessageSize(LIMIT));
        worker = application.spawn(Echo.TYPE, "", SpawnOptions.builder().name("bad-input").build());
    }

    @AfterAll
    static void shutDown() {
        application.shutdownAll();
    }

    @Test
    void anEnvironmentValueWithANulFailsTheSpawnNamingTheVariable() {
        SpawnOptions options = SpawnOptions.builder().name("nul-env").putEnvironment("MODEL", "/models/a\0b").build();
        assertThatThrownBy(() -> application.spawn(Echo.TYPE, "", options))
                .isExactlyInstanceOf(SpawnException.class)
                .hasMessage("Cannot spawn worker 'nul-env': the value of the environment variable 'MODEL' holds a NUL"
                        + " character at index 9 ('/models/a\\0b'), which no process environment can carry; remove it");
        assertNothingRegisteredAndStillServing();
    }

    @Test
    void anEnvironmentNameWithAnEqualsSignFailsTheSpawnNamingIt() {
        SpawnOptions options = SpawnOptions.builder().name("eq-env").putEnvironment("A=B", "x").build();
        assertThatThrownBy(() -> application.spawn(Echo.TYPE, "", options))
                .isExactlyInstanceOf(SpawnException.class)
                .hasMessage("Cannot spawn worker 'eq-env': the environment variable name 'A=B' is not one an"
                        + " environment can hold: it contains '='; fix it in SpawnOptions.putEnvironment");
        assertNothingRegisteredAndStillServing();
    }

    @Test
    void aJvmOptionWithANulFailsTheSpawnNamingTheOption() {
        SpawnOptions options = SpawnOptions.builder().name("nul-option")
                .addJvmOptions("-Xmx64m", "-Dlabel=a\0b").build();
        assertThatThrownBy(() -> application.spawn(Echo.TYPE, "", options))
                .isExactlyInstanceOf(SpawnException.class)
                .hasMessage("Cannot spawn worker 'nul-option': its JVM option #2 ('-Dlabel=a\\0b') holds a NUL"
                        + " character at index 9, which no command line can carry; remove it");
        assertNothingRegisteredAndStillServing();
    }

    @Test
    void aMissingWorkingDirectoryFailsTheSpawnNamingTheDirectoryNotJava() {
        Path missing = Path.of("target", "bad-input-no-such-directory").toAbsolutePath();
        SpawnOptions options = SpawnOptions.builder().name("no-directory").workingDirectory(missing).build();
        assertThatThrownBy(() -> application.spawn(Echo.TYPE, "", options))
                .isExactlyInstanceOf(SpawnException.class)
                .hasMessage("Cannot start a JVM for worker 'no-directory': its working directory " + missing
                        + " (SpawnOptions.workingDirectory) does not exist or is not a directory: create it, or choose"
                        + " another");
        assertNothingRegisteredAndStillServing();
    }

    @Test
    void anOutputFileInAMissingDirectoryFailsTheSpawnNamingTheFileAndTheOption() {
        Path missing = Path.of("target", "bad-input-no-such-directory").toAbsolutePath();
        SpawnOptions options = SpawnOptions.builder().name("no-output-directory")
                .redirectStderr(Redirect.toFile(missing.resolve("worker.err"))).build();
        assertThatThrownBy(() -> application.spawn(Echo.TYPE, "", options))
                .isExactlyInstanceOf(SpawnException.class)
                .hasMessage("Cannot start a JVM for worker 'no-output-directory': its stderr file "
                        + missing.resolve("worker.err") + " (SpawnOptions.redirectStderr) cannot be opened: its"
                        + " directory " + missing + " does not exist; create it, or choose another file");
        assertNothingRegisteredAndStillServing();
    }

    @Test
    void aWarmPoolWithANulInItsOptionsIsRefusedBeforeItStartsAnything() {
        SpawnOptions options = SpawnOptions.builder().putEnvironment("MODEL", "\0").build();
        assertThatThrownBy(() -> application.keepWarm(1, options))
                .isExactlyInstanceOf(SpawnException.class)
                .hasMessageContaining("the value of the environment variable 'MODEL' holds a NUL character at index 0");
        assertThat(application.warmProcesses()).isEmpty();
        assertNothingRegisteredAndStillServing();
    }

    @Test
    void anArgumentOverTheMaximumMessageSizeFailsNamingTheFunctionTheWorkerTheSizeAndTheLimit() {
        try (Connection connection = application.connect(worker, "c")) {
            assertThatThrownBy(() -> connection.call(Echo.ECHO, "y".repeat(100_000)))
                    .isExactlyInstanceOf(MessageTooLargeException.class)
                    .hasMessageStartingWith("Cannot send function 'echo' to worker 'bad-input': the CALL payload of 1000")
                    .hasMessageContaining("bytes is over the maximum message size of 65536 bytes (RpcSettings"
                            + ".maxMessageSize: raise it, or send large data in pieces");
            assertThatThrownBy(() -> connection.oneWay(Echo.NOTE, "y".repeat(100_000)))
                    .isExactlyInstanceOf(MessageTooLargeException.class)
                    .hasMessageStartingWith("Cannot send one-way function 'note' to worker 'bad-input'");
            assertThat(connection.call(Echo.ECHO, "still usable")).isEqualTo("still usable");
        }
    }

    @Test
    void aResultOverTheMaximumMessageSizeFailsTheCallNotTheConnection() {
        try (Connection connection = application.connect(worker, "c")) {
            assertThatThrownBy(() -> connection.call(Echo.REPEAT, 100_000))
                    .isExactlyInstanceOf(MessageTooLargeException.class)
                    .hasMessageMatching("Worker 'bad-input' refused function 'repeat': .* cannot send the result of"
                            + " function 'repeat': 1000\\d\\d bytes, over the maximum message size of 65536 bytes"
                            + " \\(RpcSettings.maxMessageSize: raise it, or send large data in pieces through a pipe\\)");
            assertThat(connection.call(Echo.REPEAT, 60_000)).hasSize(60_000);
        }
    }

    private static void assertNothingRegisteredAndStillServing() {
        assertThat(application.pendingRegistrationCount()).as("registrations waiting").isZero();
        try (Connection connection = application.connect(worker, "c")) {
            assertThat(connection.call(Echo.ECHO, "served")).isEqualTo("served");
        }
    }
}
