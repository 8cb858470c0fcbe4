package dev.rpcparallel.distribution;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/rpc-parallel --on slurm://PARTITION run primes}: the app's workers run as Slurm jobs
 * of the test cluster of {@code .ci/slurm.sh} (found through SLURM_CONF). Skipped, one line saying
 * why, without that cluster, except under CI=true.
 */
class CliOnSlurmIT {
    private static final Path SCRIPT = Path.of("target", "rpc-parallel", "bin", "rpc-parallel");

    @TempDir
    Path dir;

    private String target;

    @BeforeEach
    void findTheCluster() {
        String conf = System.getenv("RPC_PARALLEL_TEST_SLURM_CONF");
        if (conf == null || conf.isBlank()) {
            String line = "no Slurm for the CLI's --on slurm:// tests: RPC_PARALLEL_TEST_SLURM_CONF is not set"
                    + " (run: .ci/slurm.sh start && eval \"$(.ci/slurm.sh env)\")";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(line + " (CI=true: these tests must run in CI)");
            }
            System.out.println("SKIPPED " + line);
            Assumptions.abort(line);
        }
        assertThat(System.getenv("SLURM_CONF")).as("SLURM_CONF (the Slurm commands find the cluster by it)")
                .isEqualTo(conf);
        target = "slurm://" + System.getenv().getOrDefault("RPC_PARALLEL_TEST_SLURM_PARTITION", "");
    }

    @Test
    void runPrimesWithWorkersAsSlurmJobsPrintsTheCountAndLeavesNoJob() throws Exception {
        Set<String> before = jobs("--states=all");
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        // slurm:// as the user writes it: the cluster's default partition (the test cluster's only one).
        Process process = new ProcessBuilder(SCRIPT.toAbsolutePath().toString(), "--on", "slurm://",
                "run", "primes", "--workers", "2", "--limit", "1000000")
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("rpc-parallel finished").isTrue();
        String stdout = Files.readString(out, UTF_8);
        String stderr = Files.readString(err, UTF_8);
        assertThat(process.exitValue()).as(stdout + stderr).isZero();
        assertThat(stdout).contains("started 2 workers", "primes below 1000000: 78498");
        // The workers were the run's new jobs of the cluster, and they have ended.
        Set<String> ran = jobs("--states=all");
        ran.removeAll(before);
        assertThat(ran).as("the jobs of this run (id name)").hasSize(2)
                .allMatch(job -> job.split(" ")[1].startsWith("rpc-parallel-"));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Set<String> active = jobs();
            active.retainAll(ran);
            return active.isEmpty() && workersOf(process.pid()).isEmpty();
        });
    }

    @Test
    void killingTheCliWithSigkillLeavesNoJobAndNoWorkerWithinThreeSeconds() throws Exception {
        Set<String> before = jobs("--states=all");
        Process process = new ProcessBuilder(SCRIPT.toAbsolutePath().toString(), "--on", target,
                "run", "primes", "--workers", "2", "--limit", "1e11")
                .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile())
                .start();
        try {
            await().atMost(Duration.ofMinutes(2)).until(() -> workersOf(process.pid()).size() == 2);
            Set<String> running = jobs();
            running.removeAll(before);
            assertThat(running).as("the jobs of this run (id name)").hasSize(2);
            List<ProcessHandle> workers = workersOf(process.pid());
            process.toHandle().destroyForcibly();
            long killed = System.nanoTime();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
                Set<String> active = jobs();
                active.retainAll(running);
                return active.isEmpty() && workers.stream().noneMatch(ProcessHandle::isAlive);
            });
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            System.out.printf("CliOnSlurmIT: Slurm jobs and workers gone %d ms after kill -9 of rpc-parallel%n", millis);
            assertThat(Duration.ofMillis(millis)).isLessThan(Duration.ofSeconds(3));
        } finally {
            process.toHandle().destroyForcibly();
        }
    }

    /** The cluster's jobs as "id name", by squeue with {@code states} (default: pending, running, completing). */
    private static Set<String> jobs(String... states) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("squeue", "-h", "-o", "%i %j"));
        command.addAll(List.of(states));
        Process squeue = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(squeue.getInputStream().readAllBytes(), UTF_8);
        assertThat(squeue.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(squeue.exitValue()).as("squeue: " + output).isZero();
        Set<String> jobs = new HashSet<>();
        output.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(jobs::add);
        return jobs;
    }

    /** The running worker JVMs of the rpc-parallel process {@code pid} (their marker names it), anywhere on this machine. */
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
}
