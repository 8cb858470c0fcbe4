package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Echo;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When the warm pool starts the replacement of a worker it handed over: after that worker's
 * first answer (a JVM starting before would compete with its connect and first call for the
 * CPU), or a second after its spawn when nobody calls it. Observed through this JVM's real child
 * processes: a replacement is a new worker JVM among them.
 */
class WarmPoolRefillIT {
    private static final Duration WARM_UP = Duration.ofSeconds(60);
    /** Shorter than the pool's quiet time (1 s) after the spawn, which would let it refill without a call. */
    private static final Duration NO_CALL_YET = Duration.ofMillis(400);

    private final LauncherRuntime master = new LauncherRuntime();

    @AfterEach
    void shutDown() {
        master.shutdownAll();
    }

    private Process awaitOneIdle() {
        await().atMost(WARM_UP).until(() -> master.warmProcesses().size() == 1);
        return master.warmProcesses().get(0);
    }

    private static Set<Long> workerChildren() {
        return WorkerProcesses.childrenOfThisJvm().stream().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    @Test
    void replacementStartsAfterTheHandedOverWorkersFirstAnswerNotWhenItsSpawnReturns() {
        master.keepWarm(1, SpawnOptions.defaults());
        long pooled = awaitOneIdle().pid();
        Set<Long> before = workerChildren();

        WorkerRef worker = master.spawn(Echo.TYPE, "", SpawnOptions.builder().name("refill-after-answer").build());
        try (Connection connection = master.connect(worker, "refill")) {
            // Spawned and connected, not called yet: no JVM starts beside it.
            await().during(NO_CALL_YET).atMost(NO_CALL_YET.multipliedBy(3))
                    .until(() -> workerChildren().stream().allMatch(before::contains));
            assertThat(master.warmProcesses()).isEmpty();

            assertThat(connection.call(Echo.PID, null)).isEqualTo(pooled);

            // Its first answer starts the replacement, and the pool is back at its size.
            Process replacement = await().atMost(WARM_UP).until(
                    () -> master.warmProcesses().stream().findFirst().orElse(null), process -> process != null);
            assertThat(replacement.pid()).isNotEqualTo(pooled);
            assertThat(before).doesNotContain(replacement.pid());
            assertThat(connection.call(Echo.ECHO, "still")).isEqualTo("still");
        }
    }

    @Test
    void firstAnswerStartsTheReplacementWithoutWaitingForTheQuietTime() {
        master.keepWarm(1, SpawnOptions.defaults());
        awaitOneIdle();
        // An untimed round first: this JVM's first spawn, connect and call load their classes.
        WorkerRef warmUp = master.spawn(Echo.TYPE, "", SpawnOptions.builder().name("refill-warm-up").build());
        try (Connection connection = master.connect(warmUp, "refill")) {
            assertThat(connection.call(Echo.ECHO, "warm-up")).isEqualTo("warm-up");
        }
        awaitOneIdle();
        Set<Long> before = workerChildren();

        WorkerRef worker = master.spawn(Echo.TYPE, "", SpawnOptions.builder().name("refill-at-answer").build());
        long spawned = System.nanoTime();
        try (Connection connection = master.connect(worker, "refill")) {
            assertThat(connection.call(Echo.ECHO, "first")).isEqualTo("first");
            AtomicLong firstSeen = new AtomicLong();
            await().atMost(WARM_UP).pollInterval(Duration.ofMillis(10)).until(() -> {
                boolean started = workerChildren().stream().anyMatch(pid -> !before.contains(pid));
                if (started) {
                    firstSeen.set(System.nanoTime());
                }
                return started;
            });
            // The quiet time would start it a second after the spawn returned, not before: the answer did.
            assertThat(Duration.ofNanos(firstSeen.get() - spawned)).isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void replacementStartsAfterAQuietSecondWhenTheHandedOverWorkerIsNeverCalled() {
        master.keepWarm(1, SpawnOptions.defaults());
        long pooled = awaitOneIdle().pid();
        Set<Long> before = workerChildren();

        master.spawn(Echo.TYPE, "", SpawnOptions.builder().name("refill-after-quiet").build());
        long spawned = System.nanoTime();
        AtomicLong firstSeen = new AtomicLong();
        await().atMost(WARM_UP).pollInterval(Duration.ofMillis(20)).until(() -> {
            if (workerChildren().stream().anyMatch(pid -> !before.contains(pid))) {
                firstSeen.compareAndSet(0, System.nanoTime());
            }
            return !master.warmProcesses().isEmpty();
        });

        List<Process> idle = master.warmProcesses();
        assertThat(idle).hasSize(1);
        assertThat(idle.get(0).pid()).isNotEqualTo(pooled);
        // Not at the spawn's return: the pool waited for a call that never came, then refilled.
        assertThat(Duration.ofNanos(firstSeen.get() - spawned)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }
}
