package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Echo;
import dev.rpcparallel.testbackends.TestSshd;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Warm pools per launcher, with the test sshd's other hosts (network namespaces with their own
 * addresses, sharing this machine's files and process table): a pool kept for {@code ssh://h1}
 * serves spawns to h1 only, refills, lives beside a pool for h2, and dies with its master. Which
 * JVM served a spawn is told by its pid (the hosts share the process table) and where it runs by
 * its network namespace; each test marks its pool's JVMs with a JVM option of its own.
 */
class RemoteWarmPoolIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Path CACHES = Path.of("target", "remote-pool-it").toAbsolutePath();
    private static TestSshd sshd;
    private static LauncherRuntime master;
    private static String h1;
    private static String h2;

    @BeforeAll
    static void startMaster() {
        sshd = TestSshd.findOrExplain();
        Assumptions.assumeTrue(sshd != null, "no sshd for tests (see the SKIPPED line above)");
        List<String> hosts = sshd.otherHosts();
        if (hosts.size() < 2 && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("no two other hosts for tests (.ci/sshd.sh makes them with ip netns)");
        }
        Assumptions.assumeTrue(hosts.size() >= 2, "no two other hosts for tests (.ci/sshd.sh makes them with ip netns)");
        System.setProperty("rpcparallel.ssh", sshd.sshCommand());
        h1 = target(hosts.get(0));
        h2 = target(hosts.get(1));
        master = new LauncherRuntime();
        // An ssh default launcher: the master listens where the other hosts reach it.
        master.initMaster(RpcSettings.defaults().withLauncher(target(sshd.host())));
    }

    @AfterAll
    static void shutDown() {
        if (master != null) {
            master.shutdownAll();
            await().atMost(WAIT).until(() -> LocalProcesses.javaPidsWith("-Drpcparallel.test.marker=rwp-").isEmpty());
        }
    }

    /** An ssh target with a class-path cache of its own per host, so that shipping is real on hosts sharing files. */
    private static String target(String host) {
        return "ssh://" + host + "?cache=" + CACHES.resolve("cache-" + host);
    }

    private static SpawnOptions poolOptions(String launcher, String marker) {
        return SpawnOptions.builder().launcher(launcher).addJvmOptions("-Drpcparallel.test.marker=" + marker).build();
    }

    @Test
    void aSpawnToThePoolsTargetIsServedByItsIdleWorkerOnThatHostAndThePoolRefills() throws Exception {
        String marker = "rwp-" + UUID.randomUUID();
        SpawnOptions pool = poolOptions(h1, marker);
        master.keepWarm(1, pool);
        try {
            long pooledPid = awaitIdle(pool, marker, 1).get(0);
            assertThat(networkOf(pooledPid)).as("the pooled worker runs on h1, not here")
                    .isNotEqualTo(networkOf(ProcessHandle.current().pid()));

            long start = System.nanoTime();
            WorkerRef fromPool = master.spawn(Echo.TYPE, "", pool.toBuilder().name("rwp-pooled").build());
            long pooledMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(pidOf(fromPool)).as("the worker that serves the spawn").isEqualTo(pooledPid);
            assertThat(fromPool.address()).doesNotContain("127.0.0.1");

            // The pool refills on h1 with another JVM.
            long refill = awaitIdle(pool, marker, 1).get(0);
            assertThat(refill).isNotEqualTo(pooledPid);
            assertThat(networkOf(refill)).isEqualTo(networkOf(pooledPid));

            // A cold spawn to h1 (other process options than the pool's), for comparison.
            start = System.nanoTime();
            WorkerRef cold = master.spawn(Echo.TYPE, "", SpawnOptions.builder().launcher(h1).name("rwp-cold")
                    .addJvmOptions("-Drpcparallel.test.marker=rwp-cold-" + marker).build());
            long coldMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("RemoteWarmPoolIT: spawn to ready on h1 from the pool %d ms, cold %d ms%n",
                    pooledMillis, coldMillis);
            assertThat(networkOf(pidOf(cold))).isEqualTo(networkOf(pooledPid));
            assertThat(pooledMillis).as("spawn to ready from the pool vs cold, ms").isLessThan(coldMillis);
            master.shutdown(fromPool);
            master.shutdown(cold);
        } finally {
            master.keepWarm(0, pool);
        }
    }

    @Test
    void aSpawnToAnotherHostOrToThisOneIsNotServedByThePool() throws Exception {
        String marker = "rwp-" + UUID.randomUUID();
        SpawnOptions pool = poolOptions(h1, marker);
        master.keepWarm(1, pool);
        try {
            long pooledPid = awaitIdle(pool, marker, 1).get(0);
            WorkerRef onH2 = master.spawn(Echo.TYPE, "", pool.toBuilder().launcher(h2).name("rwp-on-h2").build());
            WorkerRef local = master.spawn(Echo.TYPE, "", pool.toBuilder().launcher("local:").name("rwp-local").build());
            assertThat(pidOf(onH2)).isNotEqualTo(pooledPid);
            assertThat(networkOf(pidOf(onH2))).isNotEqualTo(networkOf(pooledPid))
                    .isNotEqualTo(networkOf(ProcessHandle.current().pid()));
            assertThat(pidOf(local)).isNotEqualTo(pooledPid);
            assertThat(networkOf(pidOf(local))).isEqualTo(networkOf(ProcessHandle.current().pid()));
            assertThat(master.warmProcesses(URI.create(h1))).hasSize(1);
            assertThat(idleJvms(marker)).containsExactly(pooledPid);
            master.shutdown(onH2);
            master.shutdown(local);
        } finally {
            master.keepWarm(0, pool);
        }
    }

    @Test
    void poolsOfTwoLaunchersServeTheirOwnHosts() throws Exception {
        String marker = "rwp-" + UUID.randomUUID();
        SpawnOptions onH1 = poolOptions(h1, marker + "-1");
        SpawnOptions onH2 = poolOptions(h2, marker + "-2");
        master.keepWarm(1, onH1);
        master.keepWarm(1, onH2);
        try {
            long idleOnH1 = awaitIdle(onH1, marker + "-1", 1).get(0);
            long idleOnH2 = awaitIdle(onH2, marker + "-2", 1).get(0);
            assertThat(networkOf(idleOnH1)).isNotEqualTo(networkOf(idleOnH2));
            WorkerRef second = master.spawn(Echo.TYPE, "", onH2.toBuilder().name("rwp-two-h2").build());
            WorkerRef first = master.spawn(Echo.TYPE, "", onH1.toBuilder().name("rwp-two-h1").build());
            assertThat(pidOf(first)).isEqualTo(idleOnH1);
            assertThat(pidOf(second)).isEqualTo(idleOnH2);
            master.shutdown(first);
            master.shutdown(second);
        } finally {
            master.keepWarm(0, onH1);
            master.keepWarm(0, onH2);
        }
    }

    @Test
    void killingTheMasterWithSigkillLeavesNoPooledRemoteWorker() throws Exception {
        String marker = "rwp-kill-" + UUID.randomUUID();
        // The killed master's private files (ssh control directory) go to a short directory of the test's.
        try (PrivateRuntimeDirectory runtime = PrivateRuntimeDirectory.create("rwk");
                MasterProcess child = MasterProcess.start(SshPoolTestMaster.class,
                Map.of("RPC_PARALLEL_SSH", sshd.sshCommand(), "XDG_RUNTIME_DIR", runtime.toString()),
                target(sshd.host()), h1, marker, "2")) {
            assertThat(child.awaitReady(180)).containsExactly("2 idle");
            List<ProcessHandle> pooled = LocalProcesses.javaWith("-Drpcparallel.test.marker=" + marker);
            assertThat(pooled).hasSize(2);
            child.process().destroyForcibly();
            long killed = System.nanoTime();
            await().atMost(Duration.ofSeconds(15)).until(() -> pooled.stream().noneMatch(MasterProcess::isRunning));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            System.out.printf("RemoteWarmPoolIT: pooled workers on h1 ended %d ms after kill -9 of their master%n",
                    millis);
            assertThat(LocalProcesses.javaPidsWith("-Drpcparallel.test.marker=" + marker)).isEmpty();
            assertThat(millis).isLessThan(5_000);
        }
    }

    /** Waits until the pool of {@code pool}'s launcher has {@code count} idle workers, and returns their pids. */
    private static List<Long> awaitIdle(SpawnOptions pool, String marker, int count) {
        URI launcher = pool.launcher().orElseThrow();
        await().atMost(WAIT).until(() -> master.warmProcesses(launcher).size() == count);
        // The pool's processes on another host are ssh sessions: the JVMs are found by their marker.
        await().atMost(WAIT).until(() -> idleJvms(marker).size() == count);
        return idleJvms(marker);
    }

    /** The JVMs of this marker that served no spawn yet (a handed-over one keeps its command line). */
    private static List<Long> idleJvms(String marker) {
        return LocalProcesses.javaPidsWith("-Drpcparallel.test.marker=" + marker + " ").stream()
                .filter(pid -> !handedOver.contains(pid)).toList();
    }

    /** The pids of the workers that served spawns, as they said. */
    private static final java.util.Set<Long> handedOver = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static long pidOf(WorkerRef worker) {
        try (Connection connection = master.connect(worker, "")) {
            long pid = connection.call(Echo.PID, null);
            handedOver.add(pid);
            return pid;
        }
    }

    /** The network namespace of a process: the other hosts are namespaces of their own. */
    private static String networkOf(long pid) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "net")).toString();
    }
}
