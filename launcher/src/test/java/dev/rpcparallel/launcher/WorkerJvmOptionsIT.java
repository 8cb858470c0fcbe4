package dev.rpcparallel.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.LogEvent;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.launcher.testplugins.Kinds;
import dev.rpcparallel.launcher.testplugins.Lifecycle;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker's default JVM options, and what starts in it: the serial collector unless one is
 * chosen, no CDS on a class path with directories (this test's), Log4j core only when needed.
 */
class WorkerJvmOptionsIT {
    @TempDir
    Path temp;

    @AfterAll
    static void shutDown() {
        Parallel.shutdownWorkers();
        assertThat(WorkerProcesses.childrenOfThisJvm()).isEmpty();
    }

    private static List<String> jvmArgsOfWorker(String... options) {
        try (Connection connection = Parallel.connect(Parallel.spawn(Lifecycle.TYPE, null,
                SpawnOptions.builder().addJvmOptions(options).build()))) {
            List<String> args = connection.call(Lifecycle.JVM_ARGS, null);
            connection.shutdownWorker();
            return args;
        }
    }

    @Test
    void aWorkerGetsTheSerialCollectorByDefault() {
        List<String> args = jvmArgsOfWorker();
        assertThat(args).contains("-XX:+UseSerialGC");
        // Before the inherited options, so that any of them wins.
        for (String inherited : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (args.contains(inherited)) {
                assertThat(args.indexOf("-XX:+UseSerialGC")).as("before %s", inherited).isLessThan(args.indexOf(inherited));
            }
        }
    }

    @Test
    void aCollectorChosenForTheSpawnIsNotContradicted() {
        List<String> args = jvmArgsOfWorker("-XX:+UseParallelGC");
        assertThat(args).contains("-XX:+UseParallelGC").doesNotContain("-XX:+UseSerialGC");
    }

    @Test
    void theDefaultsCanBeTurnedOffForASpawn() {
        List<String> args = jvmArgsOfWorker("-Drpcparallel.worker.defaultJvmOptions=false");
        assertThat(args).doesNotContain("-XX:+UseSerialGC");
    }

    @Test
    void aSpawnThatReplacesTheJvmOptionsGetsNoDefaults() {
        try (Connection connection = Parallel.connect(Parallel.spawn(Lifecycle.TYPE, null, SpawnOptions.builder()
                .inheritJvmOptions(false).addJvmOptions("-Xmx64m").build()))) {
            assertThat(connection.call(Lifecycle.JVM_ARGS, null)).containsExactly("-Xmx64m");
            connection.shutdownWorker();
        }
    }

    @Test
    void aClassPathWithDirectoriesGetsNoArchive() throws Exception {
        List<String> args = jvmArgsOfWorker("-Drpcparallel.cds.dir=" + temp.resolve("cds"));
        assertThat(args).noneMatch(arg -> arg.startsWith("-XX:SharedArchiveFile")
                || arg.startsWith("-XX:ArchiveClassesAtExit") || arg.startsWith("-Xlog:cds"));
        assertThat(temp.resolve("cds")).doesNotExist();
    }

    @Test
    void log4jCoreStartsOnlyWhenALogSubscriberAttachesAndTheStreamThenWorks() throws Exception {
        Path classes = temp.resolve("classes.log");
        try (Connection connection = Parallel.connect(Parallel.spawn(Kinds.TYPE, null, SpawnOptions.builder()
                .addJvmOptions("-Xlog:class+load:file=" + classes).build()))) {
            connection.call(Kinds.LOG, "before anyone listens");
            assertThat(Files.readString(classes, UTF_8))
                    .contains("org.apache.logging.log4j.spi.AbstractLogger")
                    .doesNotContain("org.apache.logging.log4j.core.LoggerContext ");
            try (RemoteStream<LogEvent> logs = connection.logs()) {
                connection.call(Kinds.LOG, "heard");
                Iterator<LogEvent> events = logs.iterator();
                LogEvent event = events.next();
                while (!event.logger().endsWith("KindsWorker")) {
                    event = events.next();
                }
                assertThat(event.message()).isEqualTo("heard");
                assertThat(event.level()).isEqualTo("INFO");
            }
            try (Stream<String> lines = Files.lines(classes, UTF_8)) {
                assertThat(lines).anyMatch(line -> line.contains("org.apache.logging.log4j.core.LoggerContext "));
            }
            connection.shutdownWorker();
        }
    }
}
