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
        target = "slurm://" + TestSlurm.defaultPartitionOrSkip("the CLI's --on slurm:// tests");
    }

    @Test
    void runPrimesWithWorkersAsSlurmJobsPrintsTheCountAndLeavesNoJob() throws Exception {
        Map<String, String> before = TestSlurm.jobs("--states=all");
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
        Map<String, String> ran = TestSlurm.jobs("--states=all");
        ran.keySet().removeAll(before.keySet());
        assertThat(ran).as("the jobs of this run (id -> name node)").hasSize(2)
                .allSatisfy((id, job) -> assertThat(job).startsWith("rpc-parallel-"));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Map<String, String> active = TestSlurm.jobs();
            active.keySet().retainAll(ran.keySet());
            return active.isEmpty() && MasterProcesses.workers(process.pid()).isEmpty();
        });
    }

    @Test
    void killingTheCliWithSigkillLeavesNoJobAndNoWorkerWithinThreeSeconds() throws Exception {
        Map<String, String> before = TestSlurm.jobs("--states=all");
        Process process = new ProcessBuilder(SCRIPT.toAbsolutePath().toString(), "--on", target,
                "run", "primes", "--workers", "2", "--limit", "1e11")
                .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile())
                .start();
        try {
            await().atMost(Duration.ofMinutes(2)).until(() -> MasterProcesses.workers(process.pid()).size() == 2);
            Map<String, String> running = TestSlurm.jobs();
            running.keySet().removeAll(before.keySet());
            assertThat(running).as("the jobs of this run (id -> name node)").hasSize(2);
            List<ProcessHandle> workers = MasterProcesses.workers(process.pid());
            process.toHandle().destroyForcibly();
            long killed = System.nanoTime();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
                Map<String, String> active = TestSlurm.jobs();
                active.keySet().retainAll(running.keySet());
                return active.isEmpty() && workers.stream().noneMatch(ProcessHandle::isAlive);
            });
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            System.out.printf("CliOnSlurmIT: Slurm jobs and workers gone %d ms after kill -9 of rpc-parallel%n", millis);
            assertThat(Duration.ofMillis(millis)).isLessThan(Duration.ofSeconds(3));
        } finally {
            process.toHandle().destroyForcibly();
        }
    }
}
