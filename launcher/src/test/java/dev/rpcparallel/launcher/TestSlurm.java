package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The Slurm cluster that {@code .ci/slurm.sh start} runs for tests ({@code .ci/slurm.sh env}
 * prints the variables read here). Without it a test class is skipped, one line on stdout saying
 * why, except under CI=true, where it fails.
 */
final class TestSlurm {
    private TestSlurm() {
    }

    /** The cluster's default partition as a launcher target ({@code slurm://PARTITION}), or the tests are skipped. */
    static String defaultPartitionOrSkip(String forWhat) {
        String conf = System.getenv("RPC_PARALLEL_TEST_SLURM_CONF");
        if (conf == null || conf.isBlank()) {
            skip("no Slurm for " + forWhat + ": " + System.getenv().getOrDefault("RPC_PARALLEL_TEST_SLURM_UNAVAILABLE",
                    "RPC_PARALLEL_TEST_SLURM_CONF is not set (run: .ci/slurm.sh start && eval \"$(.ci/slurm.sh env)\")"));
        }
        assertThat(System.getenv("SLURM_CONF")).as("SLURM_CONF (the Slurm commands find the cluster by it)")
                .isEqualTo(conf);
        return "slurm://" + System.getenv().getOrDefault("RPC_PARALLEL_TEST_SLURM_PARTITION", "");
    }

    /** The partition whose nodes are other hosts (network namespaces) as a launcher target, or the tests are skipped. */
    static String nodesPartitionOrSkip(String forWhat) {
        String partition = System.getenv("RPC_PARALLEL_TEST_SLURM_NODES_PARTITION");
        if (System.getenv("RPC_PARALLEL_TEST_SLURM_CONF") == null || partition == null || partition.isBlank()) {
            skip("no two-node Slurm for " + forWhat + ": " + System.getenv().getOrDefault(
                    "RPC_PARALLEL_TEST_SLURM_NODES_UNAVAILABLE", "RPC_PARALLEL_TEST_SLURM_NODES_PARTITION is not set"
                    + " (run: RPC_PARALLEL_SLURM_NODES=2 .ci/slurm.sh start && eval \"$(.ci/slurm.sh env)\")"));
        }
        return "slurm://" + partition;
    }

    /** The names of the nodes of {@link #nodesPartitionOrSkip}'s partition. */
    static List<String> nodes() {
        return List.of(System.getenv("RPC_PARALLEL_TEST_SLURM_NODES").trim().split("\\s+"));
    }

    private static void skip(String line) {
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(line + " (CI=true: these tests must run in CI)");
        }
        System.out.println("SKIPPED " + line);
        Assumptions.abort(line);
    }
}
