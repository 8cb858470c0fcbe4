package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.TlsSettings;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Echo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers on the unix transport ({@code RpcSettings.withTransport("unix")}): what is particular to
 * it on the real spawn path. The function kinds, serve, the warm pool and nested masters run on it
 * in the build's second run of those tests (see the pom).
 */
class UnixTransportIT {
    private static LauncherRuntime application;
    private static WorkerRef first;
    private static WorkerRef second;

    @TempDir
    Path temp;

    @BeforeAll
    static void spawnWorkers() {
        application = new LauncherRuntime();
        application.initMaster(RpcSettings.defaults().withTransport("unix"));
        first = application.spawn(Echo.TYPE, "first:", SpawnOptions.builder().name("unix-first").build());
        second = application.spawn(Echo.TYPE, "second:", SpawnOptions.builder().name("unix-second").build());
    }

    @AfterAll
    static void shutDown() {
        if (application != null) {
            application.shutdownAll();
        }
    }

    @Test
    void spawnedWorkersListenOnSocketFilesAndOnNoTcpPort() throws Exception {
        assertThat(first.address()).startsWith("unix:///").endsWith(".sock");
        Path socket = Path.of(first.address().substring("unix://".length()));
        assertThat(socket).exists();
        long pid;
        try (Connection connection = application.connect(first, "c")) {
            assertThat(connection.call(Echo.ECHO, "over a unix socket")).isEqualTo("first:over a unix socket");
            assertThat(connection.call(Echo.REPEAT, 1_000_000)).hasSize(1_000_000);
            pid = connection.call(Echo.PID, null);
        }
        // The worker's directory is named by the worker process (PID-STARTMILLIS).
        assertThat(socket.getParent().getFileName().toString()).startsWith(pid + "-");
        Set<String> inodes = socketInodes(pid);
        assertThat(inodes).as("sockets of worker %s", pid).isNotEmpty();
        assertThat(listeningTcpInodes()).as("TCP ports worker %s listens on", pid).doesNotContainAnyElementsOf(inodes);
    }

    @Test
    void aWorkerRefPassedToAnotherWorkerConnectsOverTheUnixTransport() {
        try (Connection connection = application.connect(first, "c")) {
            assertThat(connection.call(Echo.ECHO_VIA, second)).isEqualTo("second:hop");
        }
    }

    @Test
    void tlsWithTheUnixTransportIsRefusedWithTheReasonAndTheFix() {
        LauncherRuntime withTls = new LauncherRuntime();
        try {
            assertThatThrownBy(() -> {
                withTls.initMaster(RpcSettings.defaults().withTransport("unix")
                        .withTls(TlsSettings.of(temp.resolve("keys.p12"), "x", temp.resolve("trust.p12"), "x")));
                withTls.spawn(Echo.TYPE, "tls:", SpawnOptions.builder().name("unix-tls").build());
            }).satisfies(e -> assertThat(messages(e)).contains("The unix transport does not do TLS")
                    .contains("choose transport=thrift for TLS"));
        } finally {
            withTls.shutdownAll();
        }
    }

    @Test
    void theNextMasterDeletesTheSocketsOfAMasterKilledWithSigkill() throws Exception {
        Path sockets = temp.resolve("s");
        Map<String, String> environment = Map.of(RpcSettings.ENVIRONMENT_VARIABLE, "transport=unix",
                "RPC_PARALLEL_SOCKET_DIR", sockets.toString());
        Path killedDirectory;
        try (MasterProcess master = MasterProcess.start(environment, "busy-workers", "2", "0")) {
            master.awaitReady(120);
            List<ProcessHandle> workers = master.workers();
            assertThat(workers).hasSize(2);
            killedDirectory = sockets.resolve(master.process().pid() + "-"
                    + master.process().toHandle().info().startInstant().orElseThrow().toEpochMilli());
            assertThat(socketFiles(sockets)).as("sockets of the master and its workers").hasSizeGreaterThanOrEqualTo(2);

            master.process().destroyForcibly(); // SIGKILL
            assertThat(master.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(60)).until(() -> workers.stream().noneMatch(MasterProcess::isRunning));
            assertThat(killedDirectory).as("the killed master's socket directory, before the next master").isDirectory();
        }
        try (MasterProcess next = MasterProcess.start(environment, "busy-workers", "1", "0")) {
            next.awaitReady(120);
            try (Stream<Path> directories = Files.list(sockets)) {
                List<String> left = directories.map(d -> d.getFileName().toString()).toList();
                assertThat(left).as("socket directories once the next master listens")
                        .doesNotContain(killedDirectory.getFileName().toString())
                        .allSatisfy(name -> assertThat(ProcessHandle.of(Long.parseLong(name.split("-")[0]))).isPresent());
            }
            next.process().destroy();
            assertThat(next.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static List<Path> socketFiles(Path sockets) throws IOException {
        try (Stream<Path> files = Files.walk(sockets)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".sock")).toList();
        }
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    /** The inodes of the sockets a process has open, from /proc/PID/fd. */
    private static Set<String> socketInodes(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        return inodes;
    }

    /** The inodes of the TCP sockets listening on this host (state 0A in /proc/net/tcp and tcp6). */
    private static Set<String> listeningTcpInodes() throws IOException {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.exists(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 9 && fields[3].equals("0A")) {
                    inodes.add(fields[9]);
                }
            }
        }
        return inodes;
    }
}
