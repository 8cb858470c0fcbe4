package dev.rpcparallel.distribution;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.testbackends.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/rpc-parallel --on ssh://H1 --on ssh://H2 run primes}: the app's workers start over
 * ssh, through the test sshd of {@code .ci/sshd.sh} (its two other hosts when it made them, else
 * its loopback host twice). Skipped, one line saying why, without that sshd, except under CI=true.
 */
class CliOnSshIT {
    private static final Path SCRIPT = Path.of("target", "rpc-parallel", "bin", "rpc-parallel");

    @TempDir
    Path dir;

    @Test
    void runPrimesWithWorkersOnTwoSshTargetsPrintsTheCountAndLeavesNoWorker() throws Exception {
        TestSshd sshd = TestSshd.findOrExplain();
        Assumptions.assumeTrue(sshd != null, "no sshd (see the SKIPPED line above)");
        List<String> hosts = sshd.otherHosts();
        if (hosts.size() < 2) {
            String loopback = sshd.host();
            hosts = List.of(loopback, loopback);
        }
        Path caches = Path.of("target", "ssh-cli").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(SCRIPT.toAbsolutePath().toString()));
        for (int i = 0; i < 2; i++) {
            command.addAll(List.of("--on", "ssh://" + hosts.get(i) + "?cache=" + caches.resolve("cache-" + i)));
        }
        command.addAll(List.of("run", "primes", "--workers", "2", "--limit", "1000000"));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("RPC_PARALLEL_SSH", sshd.sshCommand());
        Process process = builder.start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("rpc-parallel finished").isTrue();
        String stdout = Files.readString(out, UTF_8);
        String stderr = Files.readString(err, UTF_8);
        assertThat(process.exitValue()).as(stdout + stderr).isZero();
        assertThat(stdout).contains("started 2 workers", "primes below 1000000: 78498");
        // The ssh launcher shipped the class path into each target's own cache: the workers ran over ssh.
        for (int i = 0; i < 2; i++) {
            try (var entries = Files.list(caches.resolve("cache-" + i))) {
                assertThat(entries.count()).as("entries in the class-path cache of target " + i).isPositive();
            }
        }
        MasterProcesses.awaitNone(process.pid(), Duration.ofSeconds(10));
    }
}
