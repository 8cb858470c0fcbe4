package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.launcher.fork.ClasspathArgFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Masters in JVMs of their own, each with a temporary directory of its own, killed with SIGKILL
 * or left running: no worker argfile stays behind, whoever dies when.
 */
class LeftoverFilesIT {
    @TempDir
    Path temp;

    @Test
    void killingAMasterWithSigkillDuringSpawnsLeavesNoArgfile() throws Exception {
        try (MasterProcess master = MasterProcess.start(List.of("-Djava.io.tmpdir=" + temp), Map.of(),
                "busy-workers", "2", "1")) {
            master.awaitReady(120);
            // 2 registered (one in a call), 1 still in a slow state init: its spawn is in progress.
            await().atMost(Duration.ofSeconds(60)).until(() -> master.workers().size() == 3);
            List<ProcessHandle> workers = master.workers();
            await().atMost(Duration.ofSeconds(30)).until(() -> argfiles().isEmpty());

            master.process().destroyForcibly(); // SIGKILL
            assertThat(master.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> workers.stream().noneMatch(MasterProcess::isRunning));
            assertThat(argfiles()).as("argfiles in the master's temporary directory").isEmpty();
        }
    }

    @Test
    void aWorkerThatDiesBeforeItsMainLeavesNoArgfileWhileItsMasterRuns() throws Exception {
        try (MasterProcess master = MasterProcess.start(List.of("-Djava.io.tmpdir=" + temp), Map.of(),
                "failed-spawn")) {
            assertThat(master.awaitReady(120)).contains("SPAWN FAILED");
            await().atMost(Duration.ofSeconds(30)).until(() -> argfiles().isEmpty());
            assertThat(master.process().isAlive()).isTrue();
        }
    }

    @Test
    void theNextMasterDeletesTheArgfilesOfMastersThatHaveExited() throws Exception {
        Process exited = new ProcessBuilder("true").start();
        assertThat(exited.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Path ofExited = Files.writeString(temp.resolve(ClasspathArgFile.PREFIX + exited.pid() + "-"
                + System.currentTimeMillis() + "-42" + ClasspathArgFile.SUFFIX), "-cp\n\"gone.jar\"\n");
        ProcessHandle self = ProcessHandle.current();
        long selfStart = self.info().startInstant().orElseThrow().toEpochMilli();
        Path ofLiving = Files.writeString(temp.resolve(ClasspathArgFile.PREFIX + self.pid() + "-" + selfStart
                + "-7" + ClasspathArgFile.SUFFIX), "-cp\n\"living.jar\"\n");
        // The same PID as this JVM, but another start time: the PID was reused, its first owner is gone.
        Path ofReusedPid = Files.writeString(temp.resolve(ClasspathArgFile.PREFIX + self.pid() + "-"
                + (selfStart - 3_600_000) + "-8" + ClasspathArgFile.SUFFIX), "-cp\n\"reused.jar\"\n");
        Path unknownOwner = Files.writeString(temp.resolve(ClasspathArgFile.PREFIX + "123456789"
                + ClasspathArgFile.SUFFIX), "-cp\n\"unknown.jar\"\n");

        try (MasterProcess master = MasterProcess.start(List.of("-Djava.io.tmpdir=" + temp), Map.of(),
                "busy-workers", "1", "0")) {
            master.awaitReady(120);
            await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(ofExited) && !Files.exists(ofReusedPid));
            assertThat(ofLiving).exists();
            assertThat(unknownOwner).as("an argfile whose owner cannot be told is left alone").exists();
        }
    }

    private List<Path> argfiles() throws IOException {
        try (Stream<Path> files = Files.list(temp)) {
            return files.filter(file -> file.getFileName().toString().startsWith(ClasspathArgFile.PREFIX)).toList();
        }
    }
}
