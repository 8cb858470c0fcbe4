package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Liveness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What lies between a cold worker's start and its first answer: its link to the master is
 * opened while its plugins still load, so that registering is one round trip once it serves.
 */
class ColdSpawnIT {
    /** How long the worker's plugin (the type it serves) takes to load: longer than the wait for its link below. */
    private static final long SLOW_LOAD_MILLIS = 8_000;

    private final LauncherRuntime master = new LauncherRuntime();

    @AfterEach
    void shutDown() {
        master.shutdownAll();
    }

    @Test
    void aWorkerOpensItsLinkToTheMasterWhileItsPluginsStillLoad(@TempDir Path directory) throws Exception {
        Path loading = directory.resolve("loading");
        SpawnOptions slowPlugins = SpawnOptions.builder().name("slow-plugins")
                .addJvmOptions("-D" + Liveness.SLOW_LOAD_MARKER + "=" + loading,
                        "-D" + Liveness.SLOW_LOAD_MILLIS + "=" + SLOW_LOAD_MILLIS)
                .build();
        CompletableFuture<WorkerRef> spawn = CompletableFuture.supplyAsync(
                () -> master.spawn(Liveness.TYPE, "", slowPlugins));

        await().atMost(Duration.ofSeconds(120)).until(() -> Files.exists(loading));
        await("the worker's link to the master, while its plugins load").atMost(Duration.ofSeconds(6))
                .until(() -> master.registrationLinkCount() == 1);
        assertThat(spawn).as("the plugins are still loading, so the worker has not registered").isNotDone();

        WorkerRef worker = spawn.get(120, TimeUnit.SECONDS);
        try (Connection connection = master.connect(worker, null)) {
            assertThat(connection.call(Liveness.SLEEP, 1L)).isEqualTo(1L);
        }
        assertThat(master.registrationLinkCount()).as("it registered on that link, opening no other").isEqualTo(1);
    }
}
