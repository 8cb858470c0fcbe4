package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Kinds;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

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
}
