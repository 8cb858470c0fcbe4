package dev.rpcparallel.testbackends;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Slurm cluster that {@code .ci/slurm.sh start} runs for tests, through the variables that
 * {@code .ci/slurm.sh env} prints, and its jobs as {@code squeue} lists them. Each finder skips
 * the test, or fails it under CI ({@link TestBackends#skipOrFail}), when the cluster is not there.
 */
public final class TestSlurm {
    private TestSlurm() {
    }

    /** The cluster's {@code slurm.conf}; also checks that the Slurm commands find the same cluster (SLURM_CONF). */
    public static Path confOrSkip(String forWhat) {
        String conf = System.getenv("RPC_PARALLEL_TEST_SLURM_CONF");
        if (conf == null || conf.isBlank()) {
            TestBackends.skipOrFail("no Slurm for " + forWhat + ": " + System.getenv().getOrDefault(
                    "RPC_PARALLEL_TEST_SLURM_UNAVAILABLE", "RPC_PARALLEL_TEST_SLURM_CONF is not set"
                    + " (run: .ci/slurm.sh start && eval \"$(.ci/slurm.sh env)\")"));
        }
        if (!conf.equals(System.getenv("SLURM_CONF"))) {
            throw new AssertionError("SLURM_CONF is " + System.getenv("SLURM_CONF") + ", not the test cluster's " + conf
                    + ": the Slurm commands would talk to another cluster (eval \"$(.ci/slurm.sh env)\" sets both)");
        }
        return Path.of(conf);
    }

    /** The name of the cluster's default partition (empty: the cluster's own default). */
    public static String defaultPartitionOrSkip(String forWhat) {
        confOrSkip(forWhat);
        return System.getenv().getOrDefault("RPC_PARALLEL_TEST_SLURM_PARTITION", "");
    }

    /** The name of the partition whose nodes are other hosts (network namespaces of their own). */
    public static String nodesPartitionOrSkip(String forWhat) {
        String partition = System.getenv("RPC_PARALLEL_TEST_SLURM_NODES_PARTITION");
        if (System.getenv("RPC_PARALLEL_TEST_SLURM_CONF") == null || partition == null || partition.isBlank()) {
            TestBackends.skipOrFail("no two-node Slurm for " + forWhat + ": " + System.getenv().getOrDefault(
                    "RPC_PARALLEL_TEST_SLURM_NODES_UNAVAILABLE", "RPC_PARALLEL_TEST_SLURM_NODES_PARTITION is not set"
                    + " (run: RPC_PARALLEL_SLURM_NODES=2 .ci/slurm.sh start && eval \"$(.ci/slurm.sh env)\")"));
        }
        return partition;
    }

    /** The names of the nodes of {@link #nodesPartitionOrSkip}'s partition. */
    public static List<String> nodes() {
        return List.of(System.getenv("RPC_PARALLEL_TEST_SLURM_NODES").trim().split("\\s+"));
    }

    /**
     * The cluster's jobs as job id to "name node", by {@code squeue} with {@code options} (by
     * default squeue lists pending, running and completing jobs; {@code --states=all} adds ended ones).
     */
    public static Map<String, String> jobs(String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("squeue", "-h", "-o", "%i %j %N"));
        command.addAll(List.of(options));
        Process squeue = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(squeue.getInputStream().readAllBytes(), UTF_8);
        if (!squeue.waitFor(30, TimeUnit.SECONDS) || squeue.exitValue() != 0) {
            squeue.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " failed: " + output);
        }
        Map<String, String> jobs = new HashMap<>();
        output.lines().map(String::strip).filter(l -> !l.isEmpty())
                .forEach(l -> jobs.put(l.substring(0, l.indexOf(' ')), l.substring(l.indexOf(' ') + 1)));
        return jobs;
    }
}
