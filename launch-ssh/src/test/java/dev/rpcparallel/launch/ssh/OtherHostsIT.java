package dev.rpcparallel.launch.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.spi.launch.LaunchSpec;
import dev.rpcparallel.spi.launch.ProcessEnd;
import dev.rpcparallel.testbackends.TestSshd;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Launches on two other hosts (network namespaces with their own address and sshd, made by
 * .ci/sshd.sh), each with a class-path cache of its own, so that shipping to each is real although
 * the hosts share this machine's files.
 */
class OtherHostsIT {
  private static final Path TARGET = Path.of("target").toAbsolutePath();

  @Test
  void eachHostRunsTheProcessAndGetsTheClassPathInItsOwnCache() throws Exception {
    TestSshd sshd = TestSshd.findOrExplain();
    Assumptions.assumeTrue(sshd != null, "no sshd for tests (see the SKIPPED line above)");
    String hosts = System.getenv().getOrDefault("RPC_PARALLEL_TEST_SSH_OTHER_HOSTS", "").strip();
    if (hosts.isEmpty() && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("no other hosts for tests (.ci/sshd.sh makes them with ip netns)");
    }
    Assumptions.assumeFalse(hosts.isEmpty(), "no other hosts for tests (.ci/sshd.sh makes them with ip netns)");
    Path control = Files.createTempDirectory("rpssh");
    Path caches = TARGET.resolve("ssh-it").resolve("other-hosts-" + UUID.randomUUID());
    List<String> serverAddresses = new ArrayList<>();
    try {
      for (String host : hosts.split(" ")) {
        SshSettings settings = SshSettings.fromEnvironment()
            .withSshCommand(List.of("ssh", "-F", sshd.config().toString()))
            .withControlDirectory(control.resolve("c"))
            .withRemoteCacheDirectory(caches.resolve(host).toString());
        try (SshLauncher launcher = new SshLauncher(settings)) {
          LaunchSpec spec = LaunchSpec.builder(EchoMain.class.getName())
              .classPath(List.of(TARGET.resolve("test-classes")))
              .arguments(List.of("other-" + host, "echo", "0")).build();
          SshProcess process = (SshProcess) launcher.launch(spec, URI.create("ssh://" + host), Duration.ofSeconds(90));
          process.stdin().close();
          List<String> lines = new ArrayList<>();
          try (BufferedReader out = new BufferedReader(new InputStreamReader(process.stdout(), StandardCharsets.UTF_8))) {
            out.lines().forEach(lines::add);
          }
          assertThat(process.onExit().get(60, TimeUnit.SECONDS)).isEqualTo(ProcessEnd.exited(0));
          assertThat(process.host()).isEqualTo(host);
          assertThat(process.copiedEntries()).as("shipped to " + host).isEqualTo(1);
          String ssh = lines.stream().filter(l -> l.startsWith("ssh ")).findFirst().orElseThrow();
          serverAddresses.add(ssh.split(" ")[3]);
        }
        try (Stream<Path> files = Files.walk(caches.resolve(host))) {
          // Entries are <sha256>/<name>; the java version (java/) and class-data archive (cds/) are no entries.
          assertThat(files.filter(Files::isRegularFile)
              .filter(f -> f.getParent().getFileName().toString().matches("[0-9a-f]{64}")).count()).isEqualTo(1);
        }
      }
      assertThat(serverAddresses).as("each process ran behind its host's own address")
          .doesNotHaveDuplicates().allMatch(a -> !a.startsWith("127."));
    } finally {
      try (Stream<Path> files = Files.walk(control)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temporary directory
      }
    }
  }
}
