package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.testbackends.TestSshd;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Two masters in one JVM spawn workers to the same ssh target, so that they share its
 * multiplexed ssh connection: shutting one down must neither end the other's workers nor keep
 * any process alive once both are down. The masters run in a JVM of their own
 * ({@link TwoSshMastersTestMaster}) with a private runtime directory, so that their ssh
 * connection is theirs alone and every process of theirs can be found by its command line.
 */
class TwoMastersOneSshTargetIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void shuttingOneMasterDownLeavesTheOthersWorkersAnsweringAndBothLeaveNoProcess() throws Exception {
        TestSshd sshd = TestSshd.findOrExplain();
        Assumptions.assumeTrue(sshd != null, "no sshd for tests (see the SKIPPED line above)");
        String prefix = "two-masters-" + UUID.randomUUID().toString().substring(0, 8);
        PrivateRuntimeDirectory runtime = PrivateRuntimeDirectory.create("rp2");
        String target = "ssh://" + sshd.host() + "?cache="
                + Path.of("target", "ssh-it", "cache-" + sshd.host()).toAbsolutePath();
        MasterProcess child = MasterProcess.start(TwoSshMastersTestMaster.class,
                Map.of("RPC_PARALLEL_SSH", sshd.sshCommand(), "XDG_RUNTIME_DIR", runtime.toString()), target, prefix);
        try {
            List<String> started = child.awaitReady(180).stream().filter(l -> l.startsWith("> ")).toList();
            assertThat(started).hasSize(2);
            long workerOfA = Long.parseLong(started.get(0).substring("> a ".length()));
            long workerOfB = Long.parseLong(started.get(1).substring("> b ".length()));
            assertThat(sshProcessesOf(runtime, child)).as("the masters' ssh processes").isNotEmpty();

            assertThat(command(child, "shutdown a")).isEqualTo("a down");
            await().atMost(WAIT).until(() -> !isRunning(workerOfA));
            // b's worker answers on, past the time in which its wrapper on the host ends it when its
            // ssh session has ended (5 s of grace after end-of-file on its stdin).
            await().during(Duration.ofSeconds(8)).atMost(WAIT).untilAsserted(() ->
                    assertThat(command(child, "call b")).isEqualTo("b answers [" + workerOfB + "]"));
            assertThat(isRunning(workerOfB)).isTrue();
            String spawned = command(child, "spawn b");
            assertThat(spawned).startsWith("b ");
            long laterOfB = Long.parseLong(spawned.substring("b ".length()));
            assertThat(command(child, "call b")).isEqualTo("b answers [" + workerOfB + ", " + laterOfB + "]");

            assertThat(command(child, "shutdown b")).isEqualTo("b down");
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(LocalProcesses.describedWith(prefix, child.process().pid()))
                        .as("workers, their wrappers and ssh sessions").isEmpty();
                assertThat(sshProcessesOf(runtime, child)).as("ssh processes of the masters").isEmpty();
            });
        } finally {
            child.process().getOutputStream().close();
            child.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            child.close();
            runtime.close();
        }
        assertThat(LocalProcesses.describedWith(prefix, child.process().pid())).isEmpty();
        assertThat(sshProcessesOf(runtime, child)).isEmpty();
    }

    /** Writes one command to the masters and returns their one-line answer (without its "> "). */
    private static String command(MasterProcess child, String command) throws IOException, InterruptedException {
        OutputStream stdin = child.process().getOutputStream();
        stdin.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        for (String line = child.nextLine(120); ; line = child.nextLine(120)) {
            if (line.startsWith("> ")) {
                return line.substring(2);
            }
        }
    }

    private static boolean isRunning(long pid) {
        return ProcessHandle.of(pid).map(MasterProcess::isRunning).orElse(false);
    }

    /** ssh clients and connections of the masters: their command lines name the private runtime directory. */
    private static List<String> sshProcessesOf(PrivateRuntimeDirectory runtime, MasterProcess child) {
        return LocalProcesses.describedWith(runtime.toString(), child.process().pid());
    }
}
