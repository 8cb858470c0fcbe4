package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Echo;
import dev.rpcparallel.testbackends.TestSlurm;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A warm pool of Slurm jobs: the per-launcher pool with the {@code slurm://} launcher of the
 * test cluster ({@code .ci/slurm.sh}). Its idle worker is a running job, and a spawn to the
 * partition is served by it, a local spawn is not. Skipped, one line saying why, without that
 * cluster, except under CI=true.
 */
class SlurmWarmPoolIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static String partition;
    private static LauncherRuntime master;

    @BeforeAll
    static void startMaster() {
        partition = "slurm://" + TestSlurm.defaultPartitionOrSkip("the test of a warm pool of Slurm jobs");
        master = new LauncherRuntime();
        master.initMaster(RpcSettings.defaults().withLauncher(partition));
    }

    @AfterAll
    static void shutDown() {
        if (master != null) {
            master.shutdownAll();
            await().atMost(WAIT).until(() -> LocalProcesses.javaPidsWith("-Drpcparallel.test.marker=swp-").isEmpty());
        }
    }

    @Test
    void aSpawnToThePartitionIsServedByTheIdleJobAndALocalSpawnIsNot() throws Exception {
        String marker = "swp-" + UUID.randomUUID();
        SpawnOptions pool = SpawnOptions.builder().launcher(partition)
                .addJvmOptions("-Drpcparallel.test.marker=" + marker).build();
        master.keepWarm(1, pool);
        try {
            await().atMost(WAIT).until(() -> master.warmProcesses(URI.create(partition)).size() == 1);
            List<Long> idle = LocalProcesses.javaPidsWith("-Drpcparallel.test.marker=" + marker + " ");
            assertThat(idle).hasSize(1);
            assertThat(environmentOf(idle.get(0))).as("the idle worker's environment").contains("SLURM_JOB_ID=");

            WorkerRef local = master.spawn(Echo.TYPE, "", pool.toBuilder().launcher("local:").name("swp-local").build());
            WorkerRef job = master.spawn(Echo.TYPE, "", pool.toBuilder().name("swp-job").build());
            assertThat(pidOf(local)).isNotEqualTo(idle.get(0));
            assertThat(pidOf(job)).as("the worker that serves the spawn to " + partition).isEqualTo(idle.get(0));
            master.shutdown(local);
            master.shutdown(job);
        } finally {
            master.keepWarm(0, pool);
        }
        // Off: its idle job (the refill) ends.
        await().atMost(WAIT).until(() -> LocalProcesses.javaPidsWith("-Drpcparallel.test.marker=" + marker + " ").isEmpty());
    }

    private static long pidOf(WorkerRef worker) {
        try (Connection connection = master.connect(worker, "")) {
            return connection.call(Echo.PID, null);
        }
    }

    private static String environmentOf(long pid) throws IOException {
        return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")), StandardCharsets.UTF_8);
    }
}
