package dev.rpcparallel.distribution;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.testbackends.TestSlurm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/rpc-parallel --on slurm://PARTITION run primes --workers 2} on a partition of two
 * nodes that are other hosts (the namespace nodes of {@code RPC_PARALLEL_SLURM_NODES=2
 * .ci/slurm.sh}). The partition spreads jobs over its least loaded node (Slurm's LLN), so the
 * two workers' jobs land one per node with no node list in the URI. Skipped, one line saying
 * why, without that partition, except under CI=true.
 */
class CliOnSlurmNodesIT {
    private static final Path SCRIPT = Path.of("target", "rpc-parallel", "bin", "rpc-parallel");

    @TempDir
    Path dir;

    private String partition;
    private List<String> nodes;

    @BeforeEach
    void findTheNodes() {
        partition = TestSlurm.nodesPartitionOrSkip("the CLI's --on slurm:// test on two nodes");
        nodes = TestSlurm.nodes();
    }

    @Test
    void runPrimesWithTwoWorkersOnTwoNodesPrintsTheCountWithOneJobPerNode() throws Exception {
        // The partition's least loaded node takes each job: the nodes start without jobs of others.
        await().atMost(Duration.ofSeconds(60)).until(() -> TestSlurm.jobs("--partition=" + partition).isEmpty());
        Map<String, String> before = TestSlurm.jobs("--states=all");
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(SCRIPT.toAbsolutePath().toString(), "--on", "slurm://" + partition,
                "run", "primes", "--workers", "2", "--limit", "1000000")
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("rpc-parallel finished").isTrue();
        String stdout = Files.readString(out, UTF_8);
        String stderr = Files.readString(err, UTF_8);
        assertThat(process.exitValue()).as(stdout + stderr).isZero();
        assertThat(stdout).contains("started 2 workers", "primes below 1000000: 78498");
        // The run's new jobs: two, one on each node, and they have ended.
        Map<String, String> ran = TestSlurm.jobs("--states=all");
        ran.keySet().removeAll(before.keySet());
        assertThat(ran).as("the jobs of this run (id -> name node)").hasSize(2)
                .allSatisfy((id, job) -> assertThat(job).startsWith("rpc-parallel-"));
        assertThat(ran.values().stream().map(job -> job.split(" ")[1]).toList()).as("the nodes of the run's jobs")
                .containsExactlyInAnyOrderElementsOf(nodes.subList(0, 2));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Map<String, String> active = TestSlurm.jobs();
            active.keySet().retainAll(ran.keySet());
            return active.isEmpty() && MasterProcesses.workers(process.pid()).isEmpty();
        });
    }
}
