package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.Redirect;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Kinds;
import dev.rpcparallel.launcher.testplugins.KindsWorker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker spawns workers of its own. */
class WorkersAsMastersIT {

    @AfterAll
    static void shutDown() {
        Parallel.shutdownWorkers();
        assertThat(WorkerProcesses.childrenOfThisJvm()).isEmpty();
    }

    @Test
    void aChainOfThreeWorkersEachNamingItsParent() {
        WorkerRef top = Parallel.spawn(Kinds.TYPE, null, SpawnOptions.builder().name("chain-3").build());
        try (Connection connection = Parallel.connect(top)) {
            List<Kinds.Lineage> chain = connection.call(Kinds.CHAIN, 3);
            assertThat(chain).hasSize(3);
            assertThat(chain.get(0).parent()).startsWith("child-of-" + ProcessHandle.current().pid() + "@");
            assertThat(chain.get(1).parent()).startsWith("child-of-" + chain.get(0).pid() + "@");
            assertThat(chain.get(2).parent()).startsWith("child-of-" + chain.get(1).pid() + "@");
            assertThat(chain.stream().map(Kinds.Lineage::pid).distinct()).hasSize(3);
        }
    }

    /**
     * A worker that serves one type makes that plugin alone at its start; when it later loads the
     * whole registry (here: to spawn a worker of its own), the registry takes the plugin it made
     * rather than constructing it again.
     */
    @Test
    void aWorkerThatLaterLoadsTheWholeRegistryMakesItsServedPluginOnce(@TempDir Path directory) throws Exception {
        Path stderr = directory.resolve("made.err");
        WorkerRef top = Parallel.spawn(Kinds.TYPE, null, SpawnOptions.builder().name("made-once")
                .addJvmOptions("-D" + KindsWorker.SAY_MADE + "=true").redirectStderr(Redirect.toFile(stderr)).build());
        try (Connection connection = Parallel.connect(top)) {
            List<Kinds.Lineage> chain = connection.call(Kinds.CHAIN, 2);
            assertThat(chain).hasSize(2);
            String made = "kinds plugin made in process " + chain.get(0).pid();
            String printed = Files.readString(stderr, StandardCharsets.UTF_8);
            assertThat(printed.lines().filter(line -> line.endsWith(made)).count()).as(printed).isEqualTo(1);
        } finally {
            Parallel.shutdown(top);
        }
    }
}
