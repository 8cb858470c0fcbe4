package dev.rpcparallel.launch.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.spi.launch.LaunchException;
import dev.rpcparallel.spi.launch.LaunchSpec;
import dev.rpcparallel.testbackends.TestSshd;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the remote host's file system says: a class path that differs there (verify mode), and a
 * cache directory without room. The test host shares this machine's files, so each test makes
 * the difference real: an sshd in a mount namespace of its own where a jar is replaced, a tmpfs
 * too small for the class path.
 */
class HostFilesIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final Path TARGET = Path.of("target").toAbsolutePath();
  private static TestSshd sshd;

  @BeforeAll
  static void findSshd() {
    sshd = TestSshd.findOrExplain();
  }

  @BeforeEach
  void needsSshd() {
    Assumptions.assumeTrue(sshd != null, "no sshd for tests (see the SKIPPED line above)");
  }

  private static Path freshDirectory(String name) throws IOException {
    Path dir = TARGET.resolve("ssh-it").resolve(name + "-" + UUID.randomUUID());
    Files.createDirectories(dir);
    return dir;
  }

  private static SshSettings settings(Path controlParent, List<String> ssh) {
    return SshSettings.fromEnvironment().withSshCommand(ssh)
        .withControlDirectory(controlParent.resolve("c"))
        .withEofGrace(Duration.ofSeconds(1));
  }

  /** A jar with one resource holding {@code content}. */
  private static void jar(Path path, byte[] content) throws IOException {
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(path))) {
      zip.putNextEntry(new java.util.zip.ZipEntry("data.bin"));
      zip.write(content);
      zip.closeEntry();
    }
  }

  private static int run(String... command) throws Exception {
    return new ProcessBuilder(command).inheritIO().start().waitFor();
  }

  @Test
  void verifyModeNamesTheFirstJarThatDiffersOnTheHost() throws Exception {
    Path dir = freshDirectory("differs");
    Path same = dir.resolve("same.jar");
    Path differs = dir.resolve("differs.jar");
    Path theirs = dir.resolve("theirs.jar");
    jar(same, new byte[] {1, 2, 3});
    jar(differs, new byte[] {4, 5, 6});
    jar(theirs, new byte[] {7, 8, 9});
    // An sshd whose sessions see theirs.jar at the path of differs.jar.
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path sshdConfig = sshd.config().resolveSibling("sshd_config");
    Process otherView = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c",
        "mount --bind \"$1\" \"$2\" && exec /usr/sbin/sshd -D -e -f \"$3\" -o Port=$4 -o PidFile=none",
        "view", theirs.toString(), differs.toString(), sshdConfig.toString(), Integer.toString(port))
        .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
    Path control = Files.createTempDirectory("rpssh");
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
          return true;
        } catch (IOException notYet) {
          return false;
        }
      });
      List<String> ssh = List.of("ssh", "-F", "/dev/null", "-o", "IdentitiesOnly=yes",
          "-i", sshd.key().toString(), "-o", "IdentityAgent=none",
          "-o", "UserKnownHostsFile=" + sshd.knownHosts(), "-o", "StrictHostKeyChecking=yes",
          "-o", "HostKeyAlias=[127.0.0.1]:" + sshd.port());
      SshSettings verify = settings(control, ssh).withClassPathMode(SshSettings.ClassPathMode.VERIFY);
      LaunchSpec spec = LaunchSpec.builder(EchoMain.class.getName())
          .classPath(List.of(same, differs, TARGET.resolve("test-classes"))).build();
      try (SshLauncher launcher = new SshLauncher(verify)) {
        assertThatThrownBy(() -> launcher.launch(spec, URI.create("ssh://root@127.0.0.1:" + port), TIMEOUT))
            .isInstanceOf(LaunchException.class)
            .hasMessageStartingWith("class-path entry " + differs + " on 127.0.0.1 does not match the local "
                + differs + " (sha256 " + ClassPathDigester.sha256(theirs) + " there, "
                + ClassPathDigester.sha256(differs) + " here)")
            .hasMessageContaining("Fix: install the same version there, or ship the class path");
      }
    } finally {
      otherView.destroy();
      otherView.waitFor();
      run("rm", "-rf", control.toString());
    }
  }

  @Test
  void aCacheWithoutRoomIsNamedWithTheSpaceNeeded() throws Exception {
    Path small = freshDirectory("small");
    assertThat(run("mount", "-t", "tmpfs", "-o", "size=8k", "rpc-parallel-test", small.toString())).isZero();
    Path control = Files.createTempDirectory("rpssh");
    try {
      Path big = small.resolveSibling(small.getFileName() + "-big.jar");
      byte[] noise = new byte[64 * 1024];
      new java.util.Random(1).nextBytes(noise);
      jar(big, noise);
      SshSettings settings = settings(control, List.of("ssh", "-F", sshd.config().toString()))
          .withRemoteCacheDirectory(small.resolve("cache").toString());
      LaunchSpec spec = LaunchSpec.builder(EchoMain.class.getName())
          .classPath(List.of(big, TARGET.resolve("test-classes"))).build();
      try (SshLauncher launcher = new SshLauncher(settings)) {
        assertThatThrownBy(() -> launcher.launch(spec, URI.create("ssh://" + sshd.host()), TIMEOUT))
            .isInstanceOf(LaunchException.class)
            .hasMessageStartingWith("no disk space for the class-path cache " + small.resolve("cache")
                + " on " + sshd.host() + ": the class path needs ")
            .hasMessageContaining("bytes are free there")
            .hasMessageContaining("Fix: free space there, or set RPC_PARALLEL_SSH_CACHE");
      }
      try (var left = Files.list(small.resolve("cache"))) {
        // Entries are <sha256>/<name>; the remembered java version (java/) is no entry.
        assertThat(left.filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}")).toList())
            .as("nothing copied").isEmpty();
      }
    } finally {
      run("umount", small.toString());
      run("rm", "-rf", control.toString());
    }
  }
}
