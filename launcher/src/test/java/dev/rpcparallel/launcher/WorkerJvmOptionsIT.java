package dev.rpcparallel.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.LogEvent;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Kinds;
import dev.rpcparallel.launcher.testplugins.Lifecycle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker's default JVM options, and what starts in it: the serial collector unless one is
 * chosen, no CDS on a class path with directories (this test's), Log4j only when something logs
 * and its core only when needed.
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
        assertThat(jvmArgsOfWorker()).contains("-XX:+UseSerialGC");
    }

    /** This test's class path has Log4j core and no Log4j configuration: workers start it lazily. */
    private static final String LAZY_LOG4J =
            "-Dlog4j2.loggerContextFactory=dev.rpcparallel.launcher.logging.LazyLog4jContextFactory";

    @Test
    void theMasterTellsAWorkerOnItsClassPathHowToStartLog4jSoThatTheWorkerSearchesNothing() {
        assertThat(jvmArgsOfWorker()).containsOnlyOnce(LAZY_LOG4J);
    }

    @Test
    void aSpawnWithALog4jSettingOfItsOwnLetsItsWorkerDecide() {
        assertThat(jvmArgsOfWorker("-Dlog4j2.level=WARN")).contains("-Dlog4j2.level=WARN").doesNotContain(LAZY_LOG4J);
    }

    /** The lines a {@code jvm-options} test master printed, each split at its tabs, by their first field. */
    private static Map<String, List<String>> jvmOptionsSeenBy(List<String> masterOptions) throws Exception {
        try (MasterProcess master = MasterProcess.start(masterOptions, Map.of(), "jvm-options")) {
            Map<String, List<String>> lines = new HashMap<>();
            for (String line : master.awaitReady(120)) {
                List<String> fields = List.of(line.split("\t", -1));
                lines.put(fields.get(0), fields.subList(1, fields.size()));
            }
            assertThat(master.process().waitFor(60, TimeUnit.SECONDS)).as("the master ended").isTrue();
            assertThat(master.process().exitValue()).isZero();
            return lines;
        }
    }

    @Test
    void aWorkerInheritsTheMastersOptionsButNotItsDebuggerAfterTheDefaultsAndBeforeItsOwn() throws Exception {
        String debugger = "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:0";
        List<String> inheritable = List.of("-Xss1m", "-Drpcparallel.test.inherited=yes",
                "-Drpcparallel.test.value=master");
        List<String> masterOptions = new ArrayList<>(inheritable);
        masterOptions.add(1, debugger);
        Map<String, List<String>> seen = jvmOptionsSeenBy(masterOptions);

        assertThat(seen.get("MASTER")).as("the master really runs with them").containsSubsequence(masterOptions);
        List<String> worker = seen.get("INHERITING");
        assertThat(worker).containsSubsequence(inheritable)
                .noneMatch(option -> option.startsWith("-agentlib:jdwp"))
                .contains("-XX:+UseSerialGC")
                .endsWith("-Drpcparallel.test.value=spawn");
        // The default first, the inherited options next, the spawn's own last: later ones win.
        for (String inherited : inheritable) {
            assertThat(worker.indexOf("-XX:+UseSerialGC")).as("the default before %s", inherited)
                    .isLessThan(worker.indexOf(inherited));
        }
        assertThat(seen.get("VALUES")).as("the spawn's -D wins over the inherited one; the other is inherited")
                .containsExactly("spawn", "yes");
        assertThat(seen.get("REPLACING")).as("inheritJvmOptions(false): the spawn's options, exactly")
                .containsExactly("-Xmx64m");
    }

    @Test
    void aCollectorInheritedFromTheMasterReplacesTheDefaultOne() throws Exception {
        Map<String, List<String>> seen = jvmOptionsSeenBy(List.of("-XX:+UseParallelGC"));

        assertThat(seen.get("MASTER")).contains("-XX:+UseParallelGC");
        assertThat(seen.get("INHERITING")).contains("-XX:+UseParallelGC").doesNotContain("-XX:+UseSerialGC");
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
    void log4jStartsOnlyWhenAFunctionLogsAndItsCoreOnlyWhenALogSubscriberAttachesAndTheStreamThenWorks()
            throws Exception {
        Path classes = temp.resolve("classes.log");
        try (Connection connection = Parallel.connect(Parallel.spawn(Kinds.TYPE, null, SpawnOptions.builder()
                .addJvmOptions("-Xlog:class+load:file=" + classes).build()))) {
            // Spawned, connected, handshaken, called: nothing has logged, so Log4j has not started.
            assertThat(connection.call(Kinds.PING, "quiet")).isEqualTo("quiet");
            assertThat(Files.readString(classes, UTF_8))
                    .contains("dev.rpcparallel.launcher.server.ServerCall ")
                    .doesNotContain("org.apache.logging.log4j.LogManager ")
                    // Nor has it read the time-zone data, which only a printed line needs.
                    .doesNotContain("sun.util.calendar.ZoneInfoFile ")
                    .doesNotContain("java.time.zone.TzdbZoneRulesProvider ");
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

    /**
     * The master tells a worker on its host with its class path which transport it listens on:
     * the worker makes that one, not every transport on the class path to choose among them.
     */
    @Test
    void aWorkerMakesOnlyTheTransportItsMasterChoseNotEveryOneOnTheClassPath() throws Exception {
        Path classes = temp.resolve("transports.log");
        WorkerRef worker = Parallel.spawn(Kinds.TYPE, null, SpawnOptions.builder()
                .addJvmOptions("-Xlog:class+load:file=" + classes).build());
        try (Connection connection = Parallel.connect(worker)) {
            assertThat(connection.call(Kinds.PING, "one transport")).isEqualTo("one transport");
            String loaded = Files.readString(classes, UTF_8);
            List<String> transports = List.of("dev.rpcparallel.transport.local.LocalTransport ",
                    "dev.rpcparallel.transport.thrift.ThriftTransport ", "dev.rpcparallel.transport.unix.UnixTransport ");
            assertThat(transports).filteredOn(loaded::contains).hasSize(1)
                    .allMatch(name -> name.toLowerCase(java.util.Locale.ROOT)
                            .contains("." + worker.address().substring(0, worker.address().indexOf(':')) + "."));
            connection.shutdownWorker();
        }
    }

    /**
     * A spawned worker on its master's host with its class path makes its runtime, its transport
     * and its plugin from what it is told: no {@code ServiceLoader} lookup of its own finds and
     * makes a provider, and none of the class path's other plugins is loaded.
     */
    @Test
    void aWorkerMakesNoProviderFoundByServiceLoaderAndLoadsOnlyThePluginItServes() throws Exception {
        Path classes = temp.resolve("lookups.log");
        WorkerRef worker = Parallel.spawn(Kinds.TYPE, null, SpawnOptions.builder()
                .addJvmOptions("-Xlog:class+load:file=" + classes).build());
        try (Connection connection = Parallel.connect(worker)) {
            assertThat(connection.call(Kinds.PING, "no lookups")).isEqualTo("no lookups");
            List<String> loaded = Files.readAllLines(classes, UTF_8);
            // The JDK's own lookup of a SelectorProvider (at the first socket channel) finds none and
            // makes none; a lookup of the runtime, a transport or the plugins makes what it finds.
            assertThat(loaded).as("a provider made by a ServiceLoader lookup, or a stream of them")
                    .noneMatch(line -> line.contains(" java.util.ServiceLoader$ProviderImpl ")
                            || line.contains(" java.util.ServiceLoader$ProviderSpliterator "));
            assertThat(loaded).anyMatch(line -> line.contains(" " + dev.rpcparallel.launcher.testplugins.KindsWorker.class.getName() + " "))
                    .noneMatch(line -> line.contains(" " + dev.rpcparallel.launcher.testplugins.Counter.class.getName() + " "))
                    .noneMatch(line -> line.contains(" " + dev.rpcparallel.launcher.testplugins.EchoWorker.class.getName() + " "));
            connection.shutdownWorker();
        }
    }

    /**
     * A worker on its master's host with its class path looks nothing up through the whole class
     * path (a lookup opens every jar): its master names its selector provider, which its JDK then
     * makes by name at the first socket channel instead of looking among the class path's
     * services; and the resources its master's worker listing was read from (this test's
     * listing is a class path resource), which the worker reads without looking for them. With
     * the runtime, the transport and the plugin named too, no service lookup and no resource
     * lookup remain.
     */
    @Test
    void aWorkerLooksUpNothingOnTheClassPathNeitherItsJdksSelectorProviderNorItsListing() throws Exception {
        Path classes = temp.resolve("services.log");
        WorkerRef worker = Parallel.spawn(Kinds.TYPE, null, SpawnOptions.builder()
                .addJvmOptions("-Xlog:class+load:file=" + classes).build());
        try (Connection connection = Parallel.connect(worker)) {
            assertThat(connection.call(Kinds.PING, "no lookup")).isEqualTo("no lookup");
            List<String> loaded = Files.readAllLines(classes, UTF_8);
            if (worker.address().startsWith("unix:")) { // TCP's sockets need no selector provider
                assertThat(loaded).as("the classes the worker loaded by its first answer")
                        .anyMatch(line -> line.contains(" java.nio.channels.spi.SelectorProvider "));
            }
            assertThat(loaded).as("the classes the worker loaded by its first answer")
                    .noneMatch(line -> line.contains(" java.util.ServiceLoader "))
                    // What ClassLoader.getResources returns: the lookup of a resource in every jar.
                    .noneMatch(line -> line.contains(" java.lang.CompoundEnumeration "));
            connection.shutdownWorker();
        }
    }
}
