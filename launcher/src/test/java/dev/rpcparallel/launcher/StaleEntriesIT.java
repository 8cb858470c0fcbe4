package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerAccess;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.sharing.AccessFile;
import dev.rpcparallel.launcher.sharing.RuntimeDirectory;
import dev.rpcparallel.launcher.testplugins.Kinds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cold-started worker deletes the entries ({@code rpc-parallel ps}) of workers that died
 * without removing theirs, once it has served a while: not while its master connects and makes
 * its first call.
 */
class StaleEntriesIT {
    @TempDir
    Path temp;

    @AfterAll
    static void shutDown() {
        Parallel.shutdownWorkers();
        assertThat(WorkerProcesses.childrenOfThisJvm()).isEmpty();
    }

    @Test
    void aColdWorkerDeletesADeadWorkersEntryAfterItsFirstAnswerNotOnItsPath() throws Exception {
        Path runtime = Files.createDirectory(temp.resolve("runtime"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path workers = Files.createDirectory(runtime.resolve("workers"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path stale = workers.resolve("dead-worker.worker");
        new AccessFile(WorkerAccess.of(new WorkerRef(Kinds.TYPE.name(), "dead-worker", "dead", "unix:///gone.sock"),
                new byte[32]), gone.pid(), gone.pid(), System.currentTimeMillis() - 60_000, "").writeTo(stale);

        WorkerRef worker = Parallel.spawn(Kinds.TYPE, null, SpawnOptions.builder()
                .putEnvironment(RuntimeDirectory.ENVIRONMENT_VARIABLE, runtime.toString()).build());
        try (Connection connection = Parallel.connect(worker)) {
            assertThat(connection.call(Kinds.PING, "first")).isEqualTo("first");
            assertThat(stale).as("a dead worker's entry, at the first answer").exists();
            await().atMost(Duration.ofSeconds(60)).until(() -> !Files.exists(stale));
            assertThat(workers.resolve(worker.id() + ".worker")).as("the worker's own entry").exists();
            connection.shutdownWorker();
        }
    }
}
