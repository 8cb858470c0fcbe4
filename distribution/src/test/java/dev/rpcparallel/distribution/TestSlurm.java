package dev.rpcparallel.distribution;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The Slurm cluster that {@code .ci/slurm.sh start} runs for tests ({@code .ci/slurm.sh env}
 * prints the variables read here), and its jobs as {@code squeue} lists them. Without it a test
 * is skipped, one line on stdout saying why, except under CI=true, where it fails.
 */
final class TestSlurm {
    private TestSlurm() {
    }

    /** The cluster's default partition as a launcher target ({@code slurm://PARTITION}), or the test is skipped. */
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

    /** The partition whose nodes are other hosts (network namespaces), or the test is skipped. */
    static String nodesPartitionOrSkip(String forWhat) {
        String partition = System.getenv("RPC_PARALLEL_TEST_SLURM_NODES_PARTITION");
        if (System.getenv("RPC_PARALLEL_TEST_SLURM_CONF") == null || partition == null || partition.isBlank()) {
            skip("no two-node Slurm for " + forWhat + ": " + System.getenv().getOrDefault(
                    "RPC_PARALLEL_TEST_SLURM_NODES_UNAVAILABLE", "RPC_PARALLEL_TEST_SLURM_NODES_PARTITION is not set"
                    + " (run: RPC_PARALLEL_SLURM_NODES=2 .ci/slurm.sh start && eval \"$(.ci/slurm.sh env)\")"));
        }
        return partition;
    }

    /** The names of that partition's nodes. */
    static List<String> nodes() {
        return List.of(System.getenv("RPC_PARALLEL_TEST_SLURM_NODES").trim().split("\\s+"));
    }

    /**
     * The cluster's jobs as job id to "name node", by squeue with {@code options} (by default
     * squeue lists pending, running and completing jobs; {@code --states=all} adds ended ones).
     */
    static Map<String, String> jobs(String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("squeue", "-h", "-o", "%i %j %N"));
        command.addAll(List.of(options));
        Process squeue = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(squeue.getInputStream().readAllBytes(), UTF_8);
        assertThat(squeue.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(squeue.exitValue()).as("squeue: " + output).isZero();
        Map<String, String> jobs = new HashMap<>();
        output.lines().map(String::strip).filter(l -> !l.isEmpty())
                .forEach(l -> jobs.put(l.substring(0, l.indexOf(' ')), l.substring(l.indexOf(' ') + 1)));
        return jobs;
    }

    private static void skip(String line) {
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(line + " (CI=true: these tests must run in CI)");
        }
        System.out.println("SKIPPED " + line);
        Assumptions.abort(line);
    }
}
