package dev.rpcparallel.launcher.fork;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The command of a worker, built as a value before anything starts it. */
class WorkerCommandTest {
    private static final ClassDataSharing.Plan CDS = new ClassDataSharing.Plan(
            List.of(ClassDataSharing.QUIET, "-XX:SharedArchiveFile=/cache/worker-k.jsa"), Optional.empty(), "using");
    private static final List<String> CLASSPATH = List.of("-cp", "/app/a.jar:/app/b.jar");

    @Test
    void laterOptionsWinOverEarlierOnes() {
        SpawnOptions options = SpawnOptions.builder().addJvmOptions("-Xmx64m", "-Dcolour=blue")
                .putEnvironment("LANG", "C.UTF-8").workingDirectory(Path.of("/srv/work")).build();

        WorkerCommand command = WorkerCommand.forSpawn(options, "w-1", "child-of-42@host", CLASSPATH, CDS);
        List<String> line = command.commandLine(Path.of("/tmp/cp.argfile"));

        assertThat(line.get(0)).isEqualTo(WorkerCommand.javaBinary());
        // CDS first, then the defaults and the inherited options, the class path, the spawn's own, the main class, the marker.
        assertThat(line.subList(1, 3)).isEqualTo(CDS.options());
        assertThat(line).containsSubsequence("@/tmp/cp.argfile", "-Xmx64m",
                "-Dcolour=blue", WorkerCommand.WORKER_MAIN, WorkerCommand.MARKER, "w-1", "child-of-42@host");
        assertThat(line.subList(line.size() - 6, line.size())).containsExactly("-Xmx64m", "-Dcolour=blue",
                WorkerCommand.WORKER_MAIN, WorkerCommand.MARKER, "w-1", "child-of-42@host");
        assertThat(command.classpathArguments()).isEqualTo(CLASSPATH);
        assertThat(command.environment()).containsEntry("LANG", "C.UTF-8")
                .containsEntry(Parallel.WORKER_ENVIRONMENT_VARIABLE, "1");
        assertThat(command.workingDirectory()).contains(Path.of("/srv/work"));
        assertThat(command.workerName()).isEqualTo("w-1");
    }

    @Test
    void aSpawnThatReplacesTheJvmOptionsGetsExactlyItsOwn() {
        SpawnOptions options = SpawnOptions.builder().inheritJvmOptions(false).addJvmOptions("-Xmx32m").build();

        WorkerCommand command = WorkerCommand.forSpawn(options, "w-2", "child-of-42@host", CLASSPATH,
                ClassDataSharing.Plan.none("off"));

        assertThat(command.jvmOptions()).isEmpty();
        assertThat(command.spawnJvmOptions()).containsExactly("-Xmx32m");
        assertThat(command.commandLine(Path.of("/tmp/cp.argfile"))).containsExactly(WorkerCommand.javaBinary(),
                "@/tmp/cp.argfile", "-Xmx32m", WorkerCommand.WORKER_MAIN, WorkerCommand.MARKER, "w-2",
                "child-of-42@host");
    }

    @Test
    void aCollectorChosenByTheSpawnReplacesTheDefaultOne() {
        SpawnOptions options = SpawnOptions.builder().addJvmOptions("-XX:+UseParallelGC").build();

        WorkerCommand command = WorkerCommand.forSpawn(options, "w-3", "child-of-42@host", CLASSPATH,
                ClassDataSharing.Plan.none("off"));

        assertThat(command.jvmOptions()).doesNotContain(WorkerCommand.DEFAULT_COLLECTOR);
    }

    @Test
    void aSpawnThatSetsLog4jUpItsOwnWayGetsNoLoggingDecisionFromTheMaster() {
        assertThat(WorkerCommand.loggingOptions(SpawnOptions.builder().addJvmOptions("-Dlog4j2.level=DEBUG").build()))
                .isEmpty();
        assertThat(WorkerCommand.loggingOptions(SpawnOptions.builder()
                .addJvmOptions("-Dlog4j.configurationFile=/etc/app/log4j2.xml").build())).isEmpty();
        assertThat(WorkerCommand.loggingOptions(SpawnOptions.builder().putEnvironment("LOG4J_LEVEL", "DEBUG").build()))
                .isEmpty();
        assertThat(WorkerCommand.loggingOptions(SpawnOptions.builder().inheritJvmOptions(false).build())).isEmpty();
    }

    @Test
    void aWorkerOnAnotherHostOrWithItsOwnClassPathGetsNoLoggingDecisionFromTheMaster() {
        SpawnOptions plain = SpawnOptions.builder().build();
        assertThat(WorkerCommand.forSpawn(plain, "w-5", "child-of-42@host", CLASSPATH, CDS, false).jvmOptions())
                .noneMatch(option -> option.startsWith("-Dlog4j2.loggerContextFactory"));
        SpawnOptions ownClasspath = SpawnOptions.builder().workerClasspath(List.of(Path.of("/app/c.jar"))).build();
        assertThat(WorkerCommand.forSpawn(ownClasspath, "w-6", "child-of-42@host", CLASSPATH, CDS, true).jvmOptions())
                .noneMatch(option -> option.startsWith("-Dlog4j2.loggerContextFactory"));
    }

    @Test
    void onlyAWorkerWithTheMastersClassPathSharesItsFindings() {
        assertThat(WorkerCommand.sharesMastersClasspath(SpawnOptions.builder().addJvmOptions("-Xmx64m").build()))
                .isTrue();
        assertThat(WorkerCommand.sharesMastersClasspath(SpawnOptions.builder()
                .workerClasspath(List.of(Path.of("/app/c.jar"))).build())).isFalse();
        assertThat(WorkerCommand.sharesMastersClasspath(SpawnOptions.builder()
                .addJvmOptions("-cp", "/app/c.jar").build())).isFalse();
        assertThat(WorkerCommand.sharesMastersClasspath(SpawnOptions.builder()
                .workerCommand(List.of("/opt/app/bin/worker")).build())).isFalse();
    }
}
