package dev.rpcparallel.distribution;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
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
        partition = System.getenv("RPC_PARALLEL_TEST_SLURM_NODES_PARTITION");
        if (System.getenv("RPC_PARALLEL_TEST_SLURM_CONF") == null || partition == null || partition.isBlank()) {
            String line = "no two-node Slurm for the CLI's --on slurm:// test on two nodes: " + System.getenv()
                    .getOrDefault("RPC_PARALLEL_TEST_SLURM_NODES_UNAVAILABLE",
                            "RPC_PARALLEL_TEST_SLURM_NODES_PARTITION is not set (run: RPC_PARALLEL_SLURM_NODES=2"
                            + " .ci/slurm.sh start && eval \"$(.ci/slurm.sh env)\")");
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(line + " (CI=true: these tests must run in CI)");
            }
            System.out.println("SKIPPED " + line);
            Assumptions.abort(line);
        }
        nodes = List.of(System.getenv("RPC_PARALLEL_TEST_SLURM_NODES").trim().split("\\s+"));
    }

    @Test
    void runPrimesWithTwoWorkersOnTwoNodesPrintsTheCountWithOneJobPerNode() throws Exception {
        // The partition's least loaded node takes each job: the nodes start without jobs of others.
        await().atMost(Duration.ofSeconds(60)).until(() -> jobs("--partition=" + partition).isEmpty());
        Map<String, String> before = jobs("--states=all");
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
        Map<String, String> ran = jobs("--states=all");
        ran.keySet().removeAll(before.keySet());
        assertThat(ran).as("the jobs of this run (id -> name node)").hasSize(2)
                .allSatisfy((id, job) -> assertThat(job).startsWith("rpc-parallel-"));
        assertThat(ran.values().stream().map(job -> job.split(" ")[1]).toList()).as("the nodes of the run's jobs")
                .containsExactlyInAnyOrderElementsOf(nodes.subList(0, 2));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Map<String, String> active = jobs();
            active.keySet().retainAll(ran.keySet());
            return active.isEmpty() && workersOf(process.pid()).isEmpty();
        });
    }

    /** The running worker JVMs of the rpc-parallel process {@code pid} (their marker names it), on any node. */
    private static List<ProcessHandle> workersOf(long pid) {
        String marker = "child-of-" + pid + "@";
        return ProcessHandle.allProcesses().filter(p -> {
            try {
                Path proc = Path.of("/proc", Long.toString(p.pid()));
                return Files.readString(proc.resolve("comm")).strip().equals("java")
                        && new String(Files.readAllBytes(proc.resolve("cmdline")), UTF_8).contains(marker)
                        && !Files.readString(proc.resolve("stat")).matches("^\\d+ \\(.*\\) Z .*(?s).*");
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }).toList();
    }

    /** The cluster's jobs as id -> "name node", by squeue with {@code states} (default: pending, running, completing). */
    private static Map<String, String> jobs(String... states) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("squeue", "-h", "-o", "%i %j %N"));
        command.addAll(List.of(states));
        Process squeue = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(squeue.getInputStream().readAllBytes(), UTF_8);
        assertThat(squeue.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(squeue.exitValue()).as("squeue: " + output).isZero();
        Map<String, String> jobs = new HashMap<>();
        output.lines().map(String::strip).filter(l -> !l.isEmpty())
                .forEach(l -> jobs.put(l.substring(0, l.indexOf(' ')), l.substring(l.indexOf(' ') + 1)));
        return jobs;
    }
}
