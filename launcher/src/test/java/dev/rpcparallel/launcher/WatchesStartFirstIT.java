package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker watches its master from the moment it has read its bootstrap: a master killed with
 * {@code kill -9} at any moment of a spawn (its worker's plugins loading, its state init running)
 * leaves no worker after 2 s, whatever the worker's shutdown mode.
 */
class WatchesStartFirstIT {
    private static final Duration GONE_WITHIN = Duration.ofSeconds(2);

    @TempDir
    Path directory;

    @Test
    void aWorkerWhosePluginsTakeAMinuteToLoadDiesWithinTwoSecondsOfItsMastersKill() throws Exception {
        Path marker = directory.resolve("slow-plugin.pid");
        try (MasterProcess master = MasterProcess.start(LivenessTestMaster.class, Map.of(), "slow-plugin",
                marker.toString())) {
            assertThat(master.nextLine(120)).isEqualTo("SPAWNING");
            ProcessHandle worker = awaitMarkedProcess(marker);

            long killed = killWithSigkill(master);
            awaitGone(List.of(worker), GONE_WITHIN);
            System.out.printf("worker loading a slow plugin gone %d ms after SIGKILL of its master%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
        }
    }

    @Test
    void aCalledShutdownWorkerWhoseMasterDiedDuringItsStateInitExits() throws Exception {
        Path marker = directory.resolve("init-forever.pid");
        try (MasterProcess master = MasterProcess.start(LivenessTestMaster.class, Map.of(), "init-forever",
                marker.toString(), "CALLED_SHUTDOWN")) {
            assertThat(master.nextLine(120)).isEqualTo("SPAWNING");
            ProcessHandle worker = awaitMarkedProcess(marker);

            long killed = killWithSigkill(master);
            awaitGone(List.of(worker), GONE_WITHIN);
            System.out.printf("CALLED_SHUTDOWN worker in its state init gone %d ms after SIGKILL of its master%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
        }
    }

    /**
     * Masters spawning two workers each, killed at random moments between their start and the end
     * of the spawns: before the workers exist, while their JVMs start, read their bootstrap, load
     * their plugins, register. No worker that had started watching its master is left 2 s after
     * the kill. A worker whose JVM had not yet reached the point of reading its bootstrap (a JVM
     * takes seconds to start on a loaded machine, and runs nothing of ours meanwhile) cannot
     * watch anything yet: it must exit on its own as soon as it gets there.
     */
    @Test
    void mastersKilledAtRandomMomentsOfTheirSpawnsLeaveNoWatchingWorkerAfterTwoSeconds() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        // The first master is killed when both spawns have returned; its time to READY sets the window.
        long window;
        try (MasterProcess master = MasterProcess.start(LivenessTestMaster.class, Map.of(), "spawn", "2")) {
            long started = System.nanoTime();
            master.awaitReady(120);
            window = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            List<ProcessHandle> workers = master.workers();
            assertThat(workers).hasSize(2);
            killWithSigkill(master);
            awaitGone(workers, GONE_WITHIN);
        }
        // At most 20 runs, for about 45 s: a loaded machine gets fewer (at least 5), each as thorough.
        long budget = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
        int runs = 0;
        int withWorkers = 0;
        List<ProcessHandle> starting = new ArrayList<>();
        List<String> survivors = new ArrayList<>();
        while (runs < 20 && (runs < 5 || System.nanoTime() < budget)) {
            long delay = (long) (random.nextDouble() * window);
            try (MasterProcess master = MasterProcess.start(LivenessTestMaster.class, Map.of(), "spawn", "2")) {
                // Waits for the master's end, which comes only with the kill: a random moment of the spawn.
                assertThat(master.process().waitFor(delay, TimeUnit.MILLISECONDS)).as("the master ended by itself").isFalse();
                long killed = killWithSigkill(master);
                if (!master.workers().isEmpty()) {
                    withWorkers++;
                }
                // Started before the kill, but maybe not yet exec'd: found by their marker at the deadline.
                long deadline = killed + GONE_WITHIN.toNanos();
                await().atMost(GONE_WITHIN.plusSeconds(1)).until(() -> System.nanoTime() >= deadline);
                for (ProcessHandle left : master.workers()) {
                    if (!MasterProcess.isRunning(left)) {
                        continue;
                    }
                    if (isWatching(left)) {
                        survivors.add("run " + runs + " (killed " + delay + " ms after its start):\n"
                                + MasterProcess.describeAlive(List.of(left)));
                        left.destroyForcibly();
                    } else {
                        starting.add(left);
                    }
                }
            }
            runs++;
        }
        System.out.printf("%d masters killed at random moments of a %d ms spawn window (seed %d), %d with workers"
                + " started: %d workers that watched their master left after 2 s, %d still starting their JVM%n",
                runs, window, seed, withWorkers, survivors.size(), starting.size());
        assertThat(survivors).as("watching workers alive 2 s after their master's SIGKILL (seed %d)", seed).isEmpty();
        awaitGone(starting, Duration.ofSeconds(30));
    }

    /**
     * Whether a worker's watch of its master has started: its lifeline thread runs (the kernel
     * shows the first 15 characters of a Java thread's name).
     */
    private static boolean isWatching(ProcessHandle worker) throws java.io.IOException {
        try (java.util.stream.Stream<Path> threads = Files.list(Path.of("/proc", Long.toString(worker.pid()), "task"))) {
            return threads.anyMatch(thread -> {
                try {
                    return Files.readString(thread.resolve("comm")).startsWith("rpc-parallel-li");
                } catch (java.io.IOException gone) {
                    return false;
                }
            });
        } catch (java.nio.file.NoSuchFileException gone) {
            return false;
        }
    }

    /** The worker that wrote its pid to {@code marker}, once it has. */
    private static ProcessHandle awaitMarkedProcess(Path marker) {
        long pid = await().atMost(Duration.ofSeconds(120)).until(() -> readPid(marker), found -> found > 0);
        return ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("worker " + pid + " is gone already"));
    }

    private static long readPid(Path marker) {
        try {
            return Long.parseLong(Files.readString(marker).trim());
        } catch (java.io.IOException | NumberFormatException notYet) {
            return 0;
        }
    }

    private static long killWithSigkill(MasterProcess master) throws InterruptedException {
        master.process().destroyForcibly();
        long killed = System.nanoTime();
        assertThat(master.process().waitFor(30, TimeUnit.SECONDS)).as("the master died").isTrue();
        return killed;
    }

    private static void awaitGone(List<ProcessHandle> workers, Duration limit) throws Exception {
        try {
            await().atMost(limit).pollInterval(Duration.ofMillis(50))
                    .until(() -> workers.stream().noneMatch(MasterProcess::isRunning));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("workers still alive after " + limit.toMillis() + " ms:\n"
                    + MasterProcess.describeAlive(workers), e);
        }
    }
}
