package dev.rpcparallel.launcher;

import dev.rpcparallel.launcher.fork.WorkerExit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.Redirect;
import dev.rpcparallel.api.RemoteException;
import dev.rpcparallel.api.SpawnException;
import dev.rpcparallel.api.ShutdownOn;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerFailedException;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Counter;
import dev.rpcparallel.launcher.testplugins.Echo;
import dev.rpcparallel.launcher.testplugins.Lifecycle;
import dev.rpcparallel.launcher.warm.ParkedLink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warm pool of a master: real pooled worker JVMs, handed over to spawns. */
class WarmPoolIT {
    private static final Duration WARM_UP = Duration.ofSeconds(60);

    private final LauncherRuntime master = new LauncherRuntime();

    @AfterEach
    void shutDown() {
        master.shutdownAll();
    }

    private List<Process> awaitIdle(int workers) {
        await().atMost(WARM_UP).until(() -> master.warmProcesses().size() == workers);
        return master.warmProcesses();
    }

    private static Set<Long> pids(List<Process> processes) {
        return processes.stream().map(Process::pid).collect(Collectors.toSet());
    }

    private long pidOf(WorkerRef worker) {
        try (Connection connection = master.connect(worker, null)) {
            return connection.call(Lifecycle.PID, null);
        }
    }

    @Test
    void spawnHandsOverAProcessStartedBeforeItWithFreshState() {
        master.keepWarm(2, SpawnOptions.defaults());
        List<Process> idle = awaitIdle(2);
        Set<Long> pooled = pids(idle);

        WorkerRef first = master.spawn(Counter.TYPE, null, SpawnOptions.builder().name("pooled-counter-1").build());
        WorkerRef second = master.spawn(Counter.TYPE, null, SpawnOptions.builder().name("pooled-counter-2").build());

        assertThat(first.name()).isEqualTo("pooled-counter-1");
        try (Connection a = master.connect(first, null); Connection b = master.connect(second, null)) {
            // Each handover initialises its own state: both counters start from zero.
            assertThat(a.call(Counter.NEXT, null)).isEqualTo(1L);
            assertThat(a.call(Counter.NEXT, null)).isEqualTo(2L);
            assertThat(b.call(Counter.NEXT, null)).isEqualTo(1L);
        }
        Set<Long> served = master.childProcesses().stream().map(Process::pid).collect(Collectors.toSet());
        assertThat(served).as("the spawned workers are the pooled processes").isEqualTo(pooled);
        // No JVM was started for them: a cold start would show the spawn's name on its command line.
        assertThat(WorkerProcesses.named("pooled-counter-1")).isEmpty();
        assertThat(WorkerProcesses.named("pooled-counter-2")).isEmpty();
        // The pool refills to two, with new processes.
        List<Process> refilled = awaitIdle(2);
        assertThat(pids(refilled)).doesNotContainAnyElementsOf(pooled);
    }

    @Test
    void handedOverWorkerServesCallsUnderItsSpawnsNameAndInitArgument() {
        master.keepWarm(1, SpawnOptions.defaults());
        long pooled = awaitIdle(1).get(0).pid();

        WorkerRef worker = master.spawn(Echo.TYPE, "warm:", SpawnOptions.builder().name("warm-echo").build());
        try (Connection connection = master.connect(worker, "label")) {
            assertThat(connection.call(Echo.PID, null)).isEqualTo(pooled);
            assertThat(connection.call(Echo.ECHO, "hello")).isEqualTo("warm:hello");
            assertThat(connection.call(Echo.CONNECTION_LABEL, null)).isEqualTo("label");
        }
    }

    @Test
    void spawnWithOtherJvmOptionsStartsColdAndLeavesThePoolAlone() {
        master.keepWarm(1, SpawnOptions.defaults());
        long pooled = awaitIdle(1).get(0).pid();

        WorkerRef cold = master.spawn(Lifecycle.TYPE, null,
                SpawnOptions.builder().addJvmOptions("-Dwarm.pool.test=cold").build());
        try (Connection connection = master.connect(cold, null)) {
            assertThat(connection.call(Lifecycle.PID, null)).isNotEqualTo(pooled);
            assertThat(connection.call(Lifecycle.JVM_ARGS, null)).contains("-Dwarm.pool.test=cold");
        }
        assertThat(pids(master.warmProcesses())).containsExactly(pooled);
    }

    @Test
    void spawnWithAFileRedirectStartsColdAndLeavesThePoolAlone(@TempDir Path dir) throws Exception {
        master.keepWarm(1, SpawnOptions.defaults());
        long pooled = awaitIdle(1).get(0).pid();
        Path out = dir.resolve("cold.out");

        WorkerRef cold = master.spawn(Lifecycle.TYPE, null, SpawnOptions.builder().name("redirected")
                .redirectStdout(Redirect.toFile(out)).build());
        try (Connection connection = master.connect(cold, null)) {
            assertThat(connection.call(Lifecycle.PID, null)).isNotEqualTo(pooled)
                    .isEqualTo(WorkerProcesses.named("redirected").orElseThrow().pid());
            connection.call(Lifecycle.PRINT, "to the file");
        }
        master.shutdown(cold);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(out).contains("out: to the file"));
        assertThat(pids(master.warmProcesses())).containsExactly(pooled);
    }

    @Test
    void idleWorkerRefusesAConnectionOtherThanItsMastersParkedLink() {
        master.keepWarm(1, SpawnOptions.defaults());
        long pooled = awaitIdle(1).get(0).pid();
        await().atMost(WARM_UP).until(() -> master.idleLinks().size() == 1);
        WorkerRef parked = master.idleLinks().get(0).worker();
        // Its address and pool id, as a client of a worker type would have them.
        WorkerRef idle = new WorkerRef(Echo.TYPE.name(), parked.id(), parked.name(), parked.address());

        // A client that knows the application's secret, so passes the handshake, but is not the parked link.
        assertThatThrownBy(() -> master.connect(idle, "foreign").close())
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("is an idle worker of the master's warm pool;"
                        + " connect to the worker its spawn returned instead");

        // Still idle and in the pool: the next spawn gets it, over the parked link.
        assertThat(pids(master.warmProcesses())).containsExactly(pooled);
        WorkerRef worker = master.spawn(Echo.TYPE, "p:", SpawnOptions.builder().name("after-refusal").build());
        try (Connection connection = master.connect(worker, "label")) {
            assertThat(connection.call(Echo.PID, null)).isEqualTo(pooled);
            assertThat(master.adoptedLinks()).isEqualTo(1);
        }
    }

    @Test
    void poolWithJvmOptionsServesOnlySpawnsWithTheSameOptions() {
        SpawnOptions pool = SpawnOptions.builder().addJvmOptions("-Dwarm.pool.test=pooled").build();
        master.keepWarm(1, pool);
        long pooled = awaitIdle(1).get(0).pid();

        WorkerRef plain = master.spawn(Lifecycle.TYPE, null, SpawnOptions.defaults());
        assertThat(pidOf(plain)).isNotEqualTo(pooled);

        WorkerRef matching = master.spawn(Lifecycle.TYPE, null, pool.toBuilder().name("with-options").build());
        try (Connection connection = master.connect(matching, null)) {
            assertThat(connection.call(Lifecycle.PID, null)).isEqualTo(pooled);
            assertThat(connection.call(Lifecycle.JVM_ARGS, null)).contains("-Dwarm.pool.test=pooled");
        }
    }

    @Test
    void stateInitFailureOfAPooledWorkerFailsTheSpawnAsForAColdOne() {
        master.keepWarm(1, SpawnOptions.defaults());
        Process pooled = awaitIdle(1).get(0);

        assertThatThrownBy(() -> master.spawn(Echo.TYPE, "fail-init", SpawnOptions.builder().name("bad-init").build()))
                .isInstanceOf(SpawnException.class)
                .hasMessage("Worker 'bad-init' (echo) failed in its worker-state init: java.lang.IllegalArgumentException:"
                        + " init refused: fail-init")
                .hasCauseInstanceOf(RemoteException.class);
        assertThat(pooled.onExit()).succeedsWithin(Duration.ofSeconds(30));
        assertThat(pooled.exitValue()).isEqualTo(WorkerExit.INIT_FAILED);
    }

    @Test
    void pooledWorkerDyingAfterHandoverReachesTheFailureCallback() throws Exception {
        master.keepWarm(1, SpawnOptions.defaults());
        long pooled = awaitIdle(1).get(0).pid();
        CompletableFuture<WorkerFailedException> failure = new CompletableFuture<>();

        WorkerRef worker = master.spawn(Lifecycle.TYPE, null,
                SpawnOptions.builder().name("dies-later").onFailure(failure::complete).build());
        try (Connection connection = master.connect(worker, null)) {
            assertThat(connection.call(Lifecycle.PID, null)).isEqualTo(pooled);
            connection.call(Lifecycle.PRINT_AND_EXIT, 9);
        }
        WorkerFailedException failed = failure.get(30, TimeUnit.SECONDS);
        assertThat(failed.getMessage()).startsWith("Worker 'dies-later' died: exit code 9");
    }

    @Test
    void idleWorkerThatDiesIsReplacedNotHandedOut() {
        master.keepWarm(2, SpawnOptions.defaults());
        List<Process> idle = awaitIdle(2);
        Process victim = idle.get(0);
        victim.destroyForcibly();

        await().atMost(WARM_UP).until(() -> master.warmProcesses().size() == 2
                && !pids(master.warmProcesses()).contains(victim.pid()));
        WorkerRef first = master.spawn(Lifecycle.TYPE, null, SpawnOptions.defaults());
        WorkerRef second = master.spawn(Lifecycle.TYPE, null, SpawnOptions.defaults());
        assertThat(pidOf(first)).isNotEqualTo(victim.pid());
        assertThat(pidOf(second)).isNotEqualTo(victim.pid());
    }

    @Test
    void foregroundSpawnNeverUsesThePool() {
        master.keepWarm(1, SpawnOptions.defaults());
        long pooled = awaitIdle(1).get(0).pid();

        var foreground = master.spawnInForeground(Lifecycle.TYPE, null, SpawnOptions.defaults());
        assertThat(foreground.process().pid()).isNotEqualTo(pooled);
        assertThat(pids(master.warmProcesses())).containsExactly(pooled);
    }

    @Test
    void shutdownWorkersEndsIdleWorkersAndTurnsThePoolOff() {
        master.keepWarm(2, SpawnOptions.defaults());
        List<Process> idle = awaitIdle(2);

        master.shutdownAll();

        assertThat(idle).allSatisfy(process -> assertThat(process.isAlive()).isFalse());
        assertThat(idle).allSatisfy(process -> assertThat(process.exitValue()).isZero());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> master.warmProcesses().isEmpty() && WorkerProcesses.childrenOfThisJvm().stream()
                        .noneMatch(child -> child.info().arguments().map(List::of).orElse(List.of())
                                .stream().anyMatch(argument -> argument.startsWith("warm-"))));
    }

    @Test
    void keepWarmZeroEndsTheIdleWorkers() {
        master.keepWarm(2, SpawnOptions.defaults());
        List<Process> idle = awaitIdle(2);

        master.keepWarm(0, SpawnOptions.defaults());

        assertThat(idle).allSatisfy(process -> assertThat(process.onExit()).succeedsWithin(Duration.ofSeconds(30)));
        assertThat(master.warmProcesses()).isEmpty();
        WorkerRef cold = master.spawn(Lifecycle.TYPE, null, SpawnOptions.defaults());
        assertThat(pidOf(cold)).isNotIn(pids(idle));
    }

    @Test
    void poolWhoseWorkersCannotStartTurnsItselfOffAndSpawnsStartCold() {
        SpawnOptions broken = SpawnOptions.builder().addJvmOptions("-XX:+NoSuchWarmPoolOption").build();
        master.keepWarm(1, broken);

        await().atMost(WARM_UP).until(() -> master.warmPoolTarget() == 0);
        assertThat(master.warmProcesses()).isEmpty();
        // A cold spawn with the same options fails as it always did: the JVM refuses the option.
        assertThatThrownBy(() -> master.spawn(Lifecycle.TYPE, null, broken))
                .isInstanceOf(SpawnException.class)
                .hasMessageContaining("exited during start")
                .hasMessageContaining("NoSuchWarmPoolOption");
        // The pool stays off until keepWarm is called again.
        master.keepWarm(1, SpawnOptions.defaults());
        assertThat(master.warmPoolTarget()).isEqualTo(1);
        awaitIdle(1);
    }

    @Test
    void negativePoolSizeIsRefused() {
        assertThatThrownBy(() -> master.keepWarm(-1, SpawnOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keepWarm needs a number of idle workers of 0 or more (0 turns the warm pool off), not -1");
    }

    @Test
    void killingTheMasterWithSigkillLeavesNoIdleWorker() throws Exception {
        try (MasterProcess process = MasterProcess.start(Map.of(), "warm-pool", "3")) {
            process.awaitReady(120);
            List<ProcessHandle> workers = process.workers();
            assertThat(workers).hasSize(3);

            process.process().destroyForcibly(); // SIGKILL
            process.process().waitFor(10, TimeUnit.SECONDS);

            try {
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                        .until(() -> workers.stream().noneMatch(MasterProcess::isRunning));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("idle pooled workers still alive:\n" + MasterProcess.describeAlive(workers), e);
            }
        }
    }

    /** The open sockets of a worker process (its listener and connections), from /proc. */
    private static long socketsOf(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false; // closed meanwhile
                }
            }).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The worker's socket count once it has not changed for half a second (warm-up connections closed). */
    private static long settledSocketsOf(long pid) {
        AtomicLong last = new AtomicLong(-1);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).during(Duration.ofMillis(500))
                .until(() -> {
                    long now = socketsOf(pid);
                    return last.getAndSet(now) == now;
                });
        return last.get();
    }

    @Test
    void firstConnectAdoptsTheLinkParkedWhileIdleAndLaterOnesOpenTheirOwn() {
        master.keepWarm(1, SpawnOptions.defaults());
        long pooled = awaitIdle(1).get(0).pid();
        await().atMost(WARM_UP).until(() -> master.idleLinks().size() == 1);
        long idleSockets = settledSocketsOf(pooled);

        WorkerRef worker = master.spawn(Echo.TYPE, "p:", SpawnOptions.builder().name("adopting").build());
        try (Connection first = master.connect(worker, "first")) {
            assertThat(master.adoptedLinks()).isEqualTo(1);
            assertThat(first.call(Echo.PID, null)).isEqualTo(pooled);
            assertThat(first.call(Echo.CONNECTION_LABEL, null)).isEqualTo("first");
            assertThat(first.call(Echo.ECHO, "x")).isEqualTo("p:x");
            assertThat(socketsOf(pooled)).as("the worker saw no new connection").isEqualTo(idleSockets);

            try (Connection second = master.connect(worker, "second")) {
                assertThat(master.adoptedLinks()).isEqualTo(1);
                assertThat(second.call(Echo.CONNECTION_LABEL, null)).isEqualTo("second");
                assertThat(socketsOf(pooled)).as("a later connect opens its own").isEqualTo(idleSockets + 1);
            }
        }
    }

    @Test
    void linkThatBrokeWhileIdleIsNotAdoptedAndTheConnectOpensAFreshOne() {
        master.keepWarm(1, SpawnOptions.defaults());
        long pooled = awaitIdle(1).get(0).pid();
        await().atMost(WARM_UP).until(() -> master.idleLinks().size() == 1);
        long idleSockets = settledSocketsOf(pooled);
        master.idleLinks().forEach(ParkedLink::close);
        await().atMost(Duration.ofSeconds(30)).until(() -> socketsOf(pooled) == idleSockets - 1);

        WorkerRef worker = master.spawn(Echo.TYPE, "p:", SpawnOptions.builder().name("fresh").build());
        try (Connection connection = master.connect(worker, "label")) {
            assertThat(master.adoptedLinks()).isZero();
            assertThat(connection.call(Echo.PID, null)).isEqualTo(pooled);
            assertThat(connection.call(Echo.CONNECTION_LABEL, null)).isEqualTo("label");
        }
    }

    @Test
    void connectionClosedWorkerExitsWhenItsAdoptedLinkCloses() {
        master.keepWarm(1, SpawnOptions.defaults());
        Process pooled = awaitIdle(1).get(0);
        await().atMost(WARM_UP).until(() -> master.idleLinks().size() == 1);

        Connection connection = master.spawnAndConnect(Echo.TYPE, "p:", "only",
                SpawnOptions.builder().name("ends-with-link").build());
        assertThat(master.adoptedLinks()).isEqualTo(1);
        assertThat(connection.call(Echo.PID, null)).isEqualTo(pooled.pid());
        assertThat(pooled.isAlive()).isTrue();

        connection.close();

        assertThat(pooled.onExit()).succeedsWithin(Duration.ofSeconds(30));
        assertThat(pooled.exitValue()).isZero();
    }
}
