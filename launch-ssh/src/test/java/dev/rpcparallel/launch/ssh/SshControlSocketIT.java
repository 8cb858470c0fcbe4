package dev.rpcparallel.launch.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.testbackends.TestSshd;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The multiplexed master connection of a target against a SIGKILL: real ssh and sshd
 * ({@code .ci/sshd.sh}). A killed master leaves its control socket behind; the next master must
 * not find it in its way.
 */
class SshControlSocketIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void aMasterConnectionKilledWithSigkillIsReplacedByOneThatMultiplexes() throws Exception {
    TestSshd sshd = TestSshd.findOrExplain();
    Assumptions.assumeTrue(sshd != null, "no sshd for tests (see the SKIPPED line above)");
    // Short: ssh's socket paths must fit in 103 bytes.
    Path directory = Files.createTempDirectory("rpcs");
    Path controls = directory.resolve("c");
    SshClient client = new SshClient(SshSettings.fromEnvironment()
        .withSshCommand(List.of("ssh", "-F", sshd.config().toString()))
        .withControlDirectory(controls));
    SshTarget target = SshTarget.parse(URI.create("ssh://" + sshd.host()));
    try {
      client.ensureMaster(target, SshClient.Deadline.after(TIMEOUT));
      List<ProcessHandle> masters = mastersIn(controls);
      assertThat(masters).hasSize(1);
      masters.get(0).destroyForcibly();
      await().atMost(TIMEOUT).until(() -> !masters.get(0).isAlive());
      assertThat(socketsIn(controls)).as("the killed master's socket, left behind").hasSize(1);

      client.ensureMaster(target, SshClient.Deadline.after(TIMEOUT));
      SshClient.Result result = client.run(target, "echo multiplexed", null, SshClient.Deadline.after(TIMEOUT),
          "testing");

      assertThat(result.status()).isZero();
      assertThat(result.stdout()).isEqualTo("multiplexed\n");
      // Without a master on the socket, ssh says so and connects on its own.
      assertThat(result.stderr()).doesNotContain("Control socket connect");
      assertThat(mastersIn(controls)).hasSize(1).allMatch(ProcessHandle::isAlive);
      client.close();
      await().atMost(TIMEOUT).until(() -> mastersIn(controls).isEmpty());
    } finally {
      client.close();
      mastersIn(controls).forEach(ProcessHandle::destroyForcibly);
      try (Stream<Path> files = Files.walk(directory)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  /**
   * A running master is found on its control socket without running ssh (each ssh the launcher
   * runs is written to a log by a wrapper); a master that exited cleanly is replaced.
   */
  @Test
  void aRunningMasterIsFoundWithoutRunningSshAndOneThatExitedIsReplaced() throws Exception {
    TestSshd sshd = TestSshd.findOrExplain();
    Assumptions.assumeTrue(sshd != null, "no sshd for tests (see the SKIPPED line above)");
    Path directory = Files.createTempDirectory("rpcs");
    Path controls = directory.resolve("c");
    Path runs = directory.resolve("runs.log");
    Path wrapper = directory.resolve("ssh");
    Files.writeString(wrapper, "#!/bin/sh\necho \"$*\" >> '" + runs + "'\nexec ssh \"$@\"\n");
    wrapper.toFile().setExecutable(true);
    SshClient client = new SshClient(SshSettings.fromEnvironment()
        .withSshCommand(List.of(wrapper.toString(), "-F", sshd.config().toString()))
        .withControlDirectory(controls));
    SshTarget target = SshTarget.parse(URI.create("ssh://" + sshd.host()));
    try {
      client.ensureMaster(target, SshClient.Deadline.after(TIMEOUT));
      List<ProcessHandle> masters = mastersIn(controls);
      assertThat(masters).hasSize(1);
      assertThat(socketsIn(controls)).hasSize(1);
      assertThat(ControlSocketProbe.probe(socketsIn(controls).get(0), TIMEOUT))
          .as("a real master's hello").isEqualTo(ControlSocketProbe.State.ANSWERS);
      List<String> before = Files.readAllLines(runs);

      client.ensureMaster(target, SshClient.Deadline.after(TIMEOUT));

      assertThat(Files.readAllLines(runs)).as("ssh runs to find a running master").isEqualTo(before);
      assertThat(mastersIn(controls)).containsExactlyElementsOf(masters);

      Process exit = new ProcessBuilder("ssh", "-o", "ControlPath=" + socketsIn(controls).get(0), "-O", "exit",
          sshd.host()).redirectErrorStream(true).start();
      assertThat(exit.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      await().atMost(TIMEOUT).until(() -> !masters.get(0).isAlive());

      client.ensureMaster(target, SshClient.Deadline.after(TIMEOUT));
      SshClient.Result result = client.run(target, "echo again", null, SshClient.Deadline.after(TIMEOUT), "testing");
      assertThat(result.stdout()).isEqualTo("again\n");
      assertThat(result.stderr()).doesNotContain("Control socket connect");
      assertThat(mastersIn(controls)).hasSize(1).doesNotContainAnyElementsOf(masters);
    } finally {
      client.close();
      mastersIn(controls).forEach(ProcessHandle::destroyForcibly);
      try (Stream<Path> files = Files.walk(directory)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  /** The ssh master connections whose control socket is in {@code controls}. */
  private static List<ProcessHandle> mastersIn(Path controls) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().arguments().map(List::of).map(args -> args.contains("ControlMaster=yes")
            && args.stream().anyMatch(a -> a.startsWith("ControlPath=" + controls))).orElse(false))
        .toList();
  }

  /** The sockets in {@code controls} (not the master's error files). */
  private static List<Path> socketsIn(Path controls) throws IOException {
    try (Stream<Path> files = Files.list(controls)) {
      return files.filter(file -> !file.getFileName().toString().startsWith("master-")).toList();
    }
  }
}
