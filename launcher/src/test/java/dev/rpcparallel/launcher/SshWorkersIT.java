package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.DirectPipeCallback;
import dev.rpcparallel.api.RemoteState;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnException;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Echo;
import dev.rpcparallel.launcher.testplugins.Kinds;
import dev.rpcparallel.testbackends.TestSshd;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Workers started over ssh by {@code Parallel.spawn}, through the launch SPI, with the system's
 * OpenSSH against the test sshd ({@code .ci/sshd.sh}): on loopback, and on the other hosts
 * (network namespaces with their own addresses) when the sshd made them. One master (a runtime
 * of its own, whose default launcher is ssh, so that it listens where workers reach it) and one
 * shared worker serve the tests that only call.
 */
class SshWorkersIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path CACHES = Path.of("target", "ssh-it").toAbsolutePath();
    private static TestSshd sshd;
    private static String loopback;
    private static LauncherRuntime master;
    private static WorkerRef shared;

    @BeforeAll
    static void startMasterAndSharedWorker() {
        sshd = TestSshd.findOrExplain();
        Assumptions.assumeTrue(sshd != null, "no sshd for tests (see the SKIPPED line above)");
        // The ssh launcher reads its command from RPC_PARALLEL_SSH, else from this property.
        System.setProperty("rpcparallel.ssh", sshd.sshCommand());
        loopback = target(sshd.host());
        master = new LauncherRuntime();
        master.initMaster(RpcSettings.defaults().withLauncher(loopback));
        long start = System.nanoTime();
        shared = master.spawn(Kinds.TYPE, null, SpawnOptions.builder().name("ssh-kinds").build());
        System.out.printf("SshWorkersIT: first spawn over ssh (connection, class path copied if not cached): %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    @AfterAll
    static void shutDown() {
        if (master != null) {
            master.shutdownAll();
            await().atMost(WAIT).until(() -> workersNamed("ssh-").isEmpty());
        }
    }

    /** An ssh target with a class-path cache of its own per host, so that shipping is real on hosts sharing files. */
    private static String target(String host) {
        return "ssh://" + host + "?cache=" + CACHES.resolve("cache-" + host);
    }

    @Test
    void theWorkerIsStartedBySshdAndNotWatchedByPid() {
        ProcessHandle worker = workersNamed("ssh-kinds").get(0);
        List<String> ancestors = new ArrayList<>();
        for (Optional<ProcessHandle> p = worker.parent(); p.isPresent(); p = p.get().parent()) {
            ancestors.add(p.get().info().command().orElse("?") + "#" + p.get().pid());
        }
        assertThat(ancestors).as("the worker's ancestors").anyMatch(a -> a.contains("sshd"))
                .noneMatch(a -> a.endsWith("#" + ProcessHandle.current().pid()));
    }

    @Test
    void everyFunctionKindWorksOnAWorkerStartedOverSsh() throws Exception {
        try (Connection connection = master.connect(shared, null)) {
            assertThat(connection.call(Kinds.PING, "over ssh")).isEqualTo("over ssh");
            assertThat(connection.call(Kinds.LENGTH, new byte[3_000_000])).isEqualTo(3_000_000L);
            try (RemoteStream<Long> numbers = connection.pipe(Kinds.NUMBERS, 1000L)) {
                assertThat(numbers.stream().mapToLong(Long::longValue).sum()).isEqualTo(499_500L);
            }
            List<Long> pushed = new CopyOnWriteArrayList<>();
            CompletableFuture<Throwable> closed = new CompletableFuture<>();
            connection.directPipe(Kinds.PUSH, 500L, new DirectPipeCallback<Long>() {
                @Override
                public void onElement(Long element) {
                    pushed.add(element);
                }

                @Override
                public void onClosed(Throwable error) {
                    closed.complete(error);
                }
            });
            assertThat(closed.get(60, TimeUnit.SECONDS)).isNull();
            assertThat(pushed).containsExactlyElementsOf(LongStream.range(0, 500).boxed().toList());
            String note = "note-" + UUID.randomUUID();
            connection.oneWay(Kinds.NOTE, note);
            await().atMost(WAIT).until(() -> connection.call(Kinds.NOTES, null).contains(note));
            assertThat(connection.reversePipe(Kinds.SUM, "sum", LongStream.rangeClosed(1, 100).boxed().iterator()))
                    .isEqualTo("sum: 5050");
            try (RemoteState<Long, Long> counter = connection.state(Kinds.COUNTER, 3L)) {
                long initial = counter.initialState();
                List<Long> updates = new ArrayList<>();
                counter.updates().forEach(updates::add);
                assertThat(updates).containsExactly(initial + 1, initial + 2, initial + 3);
            }
        }
    }

    @Test
    void aWorkerCallsAnotherWorkerStartedOverSsh() {
        long start = System.nanoTime();
        WorkerRef other = master.spawn(Kinds.TYPE, null, SpawnOptions.builder().name("ssh-kinds-other").build());
        System.out.printf("SshWorkersIT: a later spawn over ssh (cache hit, multiplexed connection): %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        try (Connection connection = master.connect(shared, null)) {
            assertThat(connection.call(Kinds.PING_VIA, other)).isEqualTo("via");
        } finally {
            master.shutdown(other);
        }
    }

    @Test
    void aWorkerRefPassesFromAWorkerOnOneHostToAWorkerOnAnother() {
        List<String> hosts = sshd.otherHosts();
        if (hosts.size() < 2 && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("no two other hosts for tests (.ci/sshd.sh makes them with ip netns)");
        }
        Assumptions.assumeTrue(hosts.size() >= 2, "no two other hosts for tests (.ci/sshd.sh makes them with ip netns)");
        WorkerRef first = master.spawn(Kinds.TYPE, null, SpawnOptions.builder().name("ssh-on-h1")
                .launcher(target(hosts.get(0))).build());
        WorkerRef second = master.spawn(Kinds.TYPE, null, SpawnOptions.builder().name("ssh-on-h2")
                .launcher(target(hosts.get(1))).build());
        try (Connection connection = master.connect(first, null)) {
            // Each advertises its own host's address, not loopback.
            assertThat(first.address()).doesNotContain("127.0.0.1").isNotEqualTo(second.address());
            assertThat(hostOf(first.address())).isNotEqualTo(hostOf(second.address()));
            assertThat(connection.call(Kinds.PING_VIA, second)).isEqualTo("via");
            assertThat(connection.call(Kinds.SUM_NUMBERS_OF, second)).isEqualTo(499_500L);
        } finally {
            master.shutdown(first);
            master.shutdown(second);
        }
    }

    @Test
    void anUnknownHostIsASpawnExceptionThatNamesItAndTheFix() {
        assertFailsCleanly("ssh-unknown", "ssh://no-such-host.invalid",
                "unknown host no-such-host.invalid", "Fix: check the name, or add a Host entry");
    }

    @Test
    void aRefusedAuthenticationIsASpawnExceptionThatNamesItAndTheFix() {
        assertFailsCleanly("ssh-refused", "ssh://nobody-here@" + sshd.host(),
                "authentication to", "was refused", "Fix: load a key into ssh-agent");
    }

    @Test
    void noJavaThereIsASpawnExceptionThatNamesItAndTheFix() {
        assertFailsCleanly("ssh-no-java", target(sshd.host()) + "&java=/no/such/jdk/bin/java",
                "cannot run java on", "/no/such/jdk/bin/java", "Fix: install a JDK there, or set RPC_PARALLEL_SSH_JAVA");
    }

    private static void assertFailsCleanly(String name, String launcher, String... said) {
        Duration timeout = Duration.ofSeconds(40);
        long start = System.nanoTime();
        assertThatThrownBy(() -> master.spawn(Echo.TYPE, "", SpawnOptions.builder().name(name)
                .launcher(launcher).spawnTimeout(timeout).build()))
                .isInstanceOf(SpawnException.class)
                .hasMessageContaining("Cannot start worker '" + name + "' with launcher ssh://")
                .hasMessageContainingAll(said);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(timeout);
        assertThat(workersNamed(name)).as("processes of the failed spawn").isEmpty();
    }

    @Test
    void killingTheMasterWithSigkillEndsItsWorkersOverSshWithinSeconds() throws Exception {
        // The master killed on purpose keeps its private files (the ssh control directory with
        // its packed class-path directories) in a runtime directory of this test, short enough
        // for ssh's socket paths, not in the machine's temporary directory.
        try (PrivateRuntimeDirectory runtime = PrivateRuntimeDirectory.create("rpk");
                MasterProcess child = MasterProcess.start(SshTestMaster.class,
                Map.of("RPC_PARALLEL_SSH", sshd.sshCommand(), "XDG_RUNTIME_DIR", runtime.toString()), loopback,
                "2")) {
            List<String> lines = child.awaitReady(120);
            assertThat(lines).hasSize(2);
            List<ProcessHandle> workers = LocalProcesses.javaWith("child-of-" + child.process().pid() + "@");
            assertThat(workers).hasSize(2);
            child.process().destroyForcibly();
            long killed = System.nanoTime();
            await().atMost(Duration.ofSeconds(15)).until(() -> workers.stream().noneMatch(MasterProcess::isRunning));
            System.out.printf("workers over ssh ended %d ms after kill -9 of their master%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(5));
        }
    }

    private static String hostOf(String address) {
        String location = address.substring(address.indexOf("://") + 3);
        return location.substring(0, location.lastIndexOf(':'));
    }

    /** The worker processes (anywhere on this machine) whose marker names them {@code prefix...}. */
    private static List<ProcessHandle> workersNamed(String prefix) {
        return LocalProcesses.javaWith("rpc-parallel-worker " + prefix);
    }
}
