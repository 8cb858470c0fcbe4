package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A master in its own JVM, killed, stopped or ended, with its workers watched by PID. */
class MasterDeathIT {

    @Test
    void killingTheMasterWithSigkillLeavesNoWorkerAfterTwoSeconds() throws Exception {
        try (MasterProcess master = MasterProcess.start(Map.of(), "busy-workers", "8", "2")) {
            master.awaitReady(120);
            // 8 registered (half of them in a call), 2 still in a slow state init.
            await().atMost(Duration.ofSeconds(60)).until(() -> master.workers().size() == 10);
            List<ProcessHandle> workers = master.workers();

            master.process().destroyForcibly(); // SIGKILL
            long killed = System.nanoTime();
            master.process().waitFor(10, TimeUnit.SECONDS);

            awaitAllGone(workers, Duration.ofSeconds(2));
            System.out.printf("10 workers gone %d ms after SIGKILL of their master%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
        }
    }

    @Test
    void workersOfAStoppedMasterExitWhenHeartbeatsGoUnanswered() throws Exception {
        Map<String, String> fastHeartbeats = Map.of("RPC_PARALLEL_SETTINGS", "heartbeatInterval=200ms,heartbeatTimeout=1500ms");
        try (MasterProcess master = MasterProcess.start(fastHeartbeats, "busy-workers", "2", "0")) {
            master.awaitReady(120);
            List<ProcessHandle> workers = master.workers();
            assertThat(workers).hasSize(2);

            // SIGSTOP: the master's process, its pipes and its sockets stay; only heartbeats tell.
            new ProcessBuilder("kill", "-STOP", Long.toString(master.process().pid())).start().waitFor();
            long stopped = System.nanoTime();
            awaitAllGone(workers, Duration.ofSeconds(6));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
            System.out.printf("2 workers gone %d ms after SIGSTOP of their master (heartbeat timeout 1500 ms)%n", millis);
            assertThat(millis).as("not before the heartbeat timeout").isGreaterThanOrEqualTo(1400);
        }
    }

    private static void awaitAllGone(List<ProcessHandle> workers, Duration limit) throws Exception {
        try {
            await().atMost(limit).pollInterval(Duration.ofMillis(50))
                    .until(() -> workers.stream().noneMatch(MasterProcess::isRunning));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("workers still alive after " + limit.toMillis() + " ms:\n"
                    + MasterProcess.describeAlive(workers), e);
        }
    }

    @Test
    void calledShutdownWorkerOutlivesItsMaster() throws Exception {
        assertTheWorkerOutlivesItsMaster("called-shutdown");
    }

    @Test
    void calledShutdownWorkerOutlivesAMasterThatHaltsAsSoonAsItsSpawnReturns() throws Exception {
        assertTheWorkerOutlivesItsMaster("called-shutdown-halt");
    }

    /** Runs a master scenario that prints {@code WORKER pid} and ends (exit status 0); its worker must live on. */
    private static void assertTheWorkerOutlivesItsMaster(String scenario) throws Exception {
        long survivor;
        try (MasterProcess master = MasterProcess.start(Map.of(), scenario)) {
            List<String> lines = master.awaitReady(60);
            survivor = Long.parseLong(lines.get(0).substring("WORKER ".length()));
            assertThat(master.process().waitFor(30, TimeUnit.SECONDS)).as("the master ended").isTrue();
            assertThat(master.process().exitValue()).isZero();
        }
        ProcessHandle worker = ProcessHandle.of(survivor).orElseThrow(() -> new AssertionError("the worker died with its master"));
        try {
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(worker::isAlive);
        } finally {
            worker.destroyForcibly();
        }
    }

    @Test
    void settingsOverriddenByTheEnvironmentAgreeInMasterSpawnedAndServedWorkers() throws Exception {
        Map<String, String> overrides = Map.of("RPC_PARALLEL_SETTINGS", "heartbeatInterval=300ms,maxMessageSize=2000000,"
                + "streamWindowBytes=2MiB,directPipeQueueBytes=32MiB");
        try (MasterProcess master = MasterProcess.start(overrides, "settings")) {
            List<String> lines = master.awaitReady(60);
            assertThat(lines).hasSize(3);
            String masterSettings = lines.get(0).substring("MASTER ".length());
            System.out.println("settings: " + masterSettings);
            assertThat(masterSettings).contains("heartbeatInterval=300ms", "maxMessageSize=2000000",
                    "streamWindowBytes=2097152", "directPipeQueueBytes=33554432");
            assertThat(lines.get(1)).isEqualTo("SPAWNED " + masterSettings);
            assertThat(lines.get(2)).isEqualTo("SERVED " + masterSettings);
        }
    }
}
