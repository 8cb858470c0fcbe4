package dev.rpcparallel.launch.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.spi.launch.LaunchException;
import dev.rpcparallel.spi.launch.LaunchSpec;
import dev.rpcparallel.spi.launch.LaunchedProcess;
import dev.rpcparallel.spi.launch.ProcessEnd;
import dev.rpcparallel.spi.launch.WorkerLauncher;
import dev.rpcparallel.spi.launch.WorkerLaunchers;
import dev.rpcparallel.testbackends.TestSshd;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real JVMs launched through the real ssh client and a real sshd (.ci/sshd.sh). */
class SshLauncherIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final Path TARGET = Path.of("target").toAbsolutePath();
  private static TestSshd sshd;
  private static SshLauncher launcher;
  private static URI host;
  /** Short: ssh's socket paths must fit in 103 bytes. Under /tmp, removed after the tests. */
  private static Path controlDirectory;

  @BeforeAll
  static void startLauncher() throws IOException {
    sshd = TestSshd.findOrExplain();
    if (sshd == null) {
      return;
    }
    host = URI.create("ssh://" + sshd.host());
    controlDirectory = Files.createTempDirectory("rpssh").resolve("c");
    launcher = new SshLauncher(settings(freshDirectory("cache")));
  }

  @AfterAll
  static void closeLauncher() {
    if (launcher != null) {
      launcher.close();
    }
    if (controlDirectory != null) {
      try (Stream<Path> files = Files.walk(controlDirectory.getParent())) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temporary directory
      }
    }
  }

  @BeforeEach
  void needsSshd() {
    Assumptions.assumeTrue(sshd != null, "no sshd for tests (see the SKIPPED line above)");
  }

  private static SshSettings settings(Path cache) {
    return SshSettings.fromEnvironment()
        .withSshCommand(List.of("ssh", "-F", sshd.config().toString()))
        .withControlDirectory(controlDirectory)
        .withRemoteCacheDirectory(cache.toString())
        .withEofGrace(Duration.ofSeconds(1));
  }

  private static Path freshDirectory(String name) throws IOException {
    Path dir = TARGET.resolve("ssh-it").resolve(name + "-" + UUID.randomUUID());
    Files.createDirectories(dir);
    return dir;
  }

  private static LaunchSpec echo(String marker, String mode, int code) {
    return LaunchSpec.builder(EchoMain.class.getName())
        .classPath(List.of(TARGET.resolve("test-classes")))
        .jvmOptions(List.of("-Xmx32m", "-XX:TieredStopAtLevel=1", "-Xshare:auto"))
        .arguments(List.of(marker, mode, Integer.toString(code)))
        .environment("ECHO_MAIN_VALUE", "it's \"quoted\" $HOME")
        .workingDirectory(Path.of("/tmp"))
        .build();
  }

  /** Lines of a stream, read on a thread of their own. */
  private static BlockingQueue<String> lines(java.io.InputStream stream) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lines.add(line);
        }
      } catch (IOException e) {
        lines.add("read failed: " + e);
      }
    }, "ssh-it-reader");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  private static String next(BlockingQueue<String> lines) throws InterruptedException {
    String line = lines.poll(60, TimeUnit.SECONDS);
    assertThat(line).as("a line within 60 s").isNotNull();
    return line;
  }

  /** Processes (other than this JVM) whose command line holds {@code marker}. */
  private static List<ProcessHandle> withMarker(String marker) {
    long self = ProcessHandle.current().pid();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      return procs.filter(p -> p.getFileName().toString().matches("\\d+"))
          .filter(p -> Long.parseLong(p.getFileName().toString()) != self)
          .filter(p -> {
            try {
              return new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                  .contains(marker);
            } catch (IOException gone) {
              return false;
            }
          })
          .map(p -> ProcessHandle.of(Long.parseLong(p.getFileName().toString())))
          .flatMap(Optional::stream)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean remoteJavaRuns(String marker) {
    return withMarker(marker).stream().anyMatch(p ->
        p.info().command().map(c -> c.endsWith("/java")).orElse(false));
  }

  @Test
  void theLauncherIsFoundByItsScheme() {
    WorkerLauncher found = WorkerLaunchers.forTarget(host, getClass().getClassLoader());
    assertThat(found).isInstanceOf(SshLauncher.class);
    assertThat(found.availability().isAvailable()).isTrue();
  }

  @Test
  void echoesStdinToStdoutWritesStderrAndEndsWithItsExitCode() throws Exception {
    String marker = "echo-" + UUID.randomUUID();
    LaunchedProcess process = launcher.launch(echo(marker, "echo", 3), host, TIMEOUT);
    BlockingQueue<String> out = lines(process.stdout());
    BlockingQueue<String> err = lines(process.stderr());
    assertThat(process.host()).isEqualTo(sshd.host());
    assertThat(next(out)).startsWith("host ");
    assertThat(next(out)).isEqualTo("cwd /tmp");
    assertThat(next(out)).isEqualTo("env it's \"quoted\" $HOME");
    assertThat(next(out)).as("client and server of the session").matches("ssh 127\\.0\\.0\\.1 \\d+ 127\\.0\\.0\\.1 " + sshd.port());
    assertThat(next(out)).isEqualTo("ready");
    assertThat(next(err)).isEqualTo("stderr of " + marker);
    process.stdin().write("hello there\nsecond\n".getBytes(StandardCharsets.UTF_8));
    process.stdin().flush();
    assertThat(next(out)).isEqualTo("echo hello there");
    assertThat(next(out)).isEqualTo("echo second");
    process.stdin().close();
    ProcessEnd end = process.onExit().get(60, TimeUnit.SECONDS);
    assertThat(end).isEqualTo(ProcessEnd.exited(3));
    await().atMost(Duration.ofSeconds(30)).until(() -> withMarker(marker).isEmpty());
  }

  @Test
  void aSecondLaunchCopiesNothingAndFindsTheEntriesInTheCache() throws Exception {
    Path cache = freshDirectory("cache-hit").resolve("cache"); // made by the launcher
    try (SshLauncher own = new SshLauncher(settings(cache))) {
      SshProcess first = (SshProcess) own.launch(echo("first-" + UUID.randomUUID(), "echo", 0), host, TIMEOUT);
      first.stdin().close();
      first.stdout().transferTo(java.io.OutputStream.nullOutputStream());
      assertThat(first.onExit().get(60, TimeUnit.SECONDS)).isEqualTo(ProcessEnd.exited(0));
      assertThat(first.copiedEntries()).isEqualTo(1);

      SshProcess second = (SshProcess) own.launch(echo("second-" + UUID.randomUUID(), "echo", 0), host, TIMEOUT);
      BlockingQueue<String> out = lines(second.stdout());
      assertThat(next(out)).startsWith("host ");
      second.stdin().close();
      assertThat(second.onExit().get(60, TimeUnit.SECONDS)).isEqualTo(ProcessEnd.exited(0));
      assertThat(second.copiedEntries()).isZero();
    }
    // The java's version is remembered beside the entries, so that a later launch runs no java -version.
    try (Stream<Path> versions = Files.list(cache.resolve("java"))) {
      assertThat(versions.toList()).hasSize(1);
    }
    try (Stream<Path> files = Files.walk(cache)) {
      List<Path> jars = files.filter(Files::isRegularFile)
          .filter(f -> !cache.relativize(f).startsWith("java")).toList();
      assertThat(jars).hasSize(1);
      assertThat(jars.get(0).getFileName().toString()).isEqualTo("test-classes.jar");
      assertThat(jars.get(0).getParent().getFileName().toString()).matches("[0-9a-f]{64}");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rwx------");
  }

  @Test
  void stopClosesStdinAndTheWrapperTerminatesAProcessThatIgnoresIt() throws Exception {
    String marker = "stop-" + UUID.randomUUID();
    LaunchedProcess process = launcher.launch(echo(marker, "ignore-stdin", 0), host, TIMEOUT);
    BlockingQueue<String> out = lines(process.stdout());
    await().atMost(Duration.ofSeconds(60)).until(() -> out.contains("ready"));
    process.stop(Duration.ofSeconds(30));
    assertThat(process.onExit().get(60, TimeUnit.SECONDS)).isEqualTo(ProcessEnd.signalled(15));
    await().atMost(Duration.ofSeconds(30)).until(() -> withMarker(marker).isEmpty());
  }

  @Test
  void killEndsTheRemoteProcessAtOnce() throws Exception {
    String marker = "kill-" + UUID.randomUUID();
    LaunchedProcess process = launcher.launch(echo(marker, "ignore-stdin", 0), host, TIMEOUT);
    BlockingQueue<String> out = lines(process.stdout());
    await().atMost(Duration.ofSeconds(60)).until(() -> out.contains("ready"));
    assertThat(remoteJavaRuns(marker)).isTrue();
    process.kill();
    assertThat(process.onExit().get(60, TimeUnit.SECONDS)).isEqualTo(ProcessEnd.signalled(9));
    await().atMost(Duration.ofSeconds(30)).until(() -> withMarker(marker).isEmpty());
  }

  @Test
  void killingTheLocalSshClientLeavesNoRemoteOrphan() throws Exception {
    String marker = "orphan-" + UUID.randomUUID();
    SshProcess process = (SshProcess) launcher.launch(echo(marker, "ignore-stdin", 0), host, TIMEOUT);
    BlockingQueue<String> out = lines(process.stdout());
    await().atMost(Duration.ofSeconds(60)).until(() -> out.contains("ready"));
    assertThat(remoteJavaRuns(marker)).isTrue();
    new ProcessBuilder("kill", "-9", Long.toString(process.sshClient().pid())).start().waitFor();
    process.onExit().get(60, TimeUnit.SECONDS);
    // EOF on the session's stdin, 1 s of grace, SIGTERM: the java that never reads stdin ends.
    await().atMost(Duration.ofSeconds(30)).until(() -> withMarker(marker).isEmpty());
  }

  @Test
  void tooOldARemoteJavaIsNamedWithTheVersionsAndTheFix() throws Exception {
    Path fakeJava = freshDirectory("old-java").resolve("java");
    Files.writeString(fakeJava, "#!/bin/sh\necho 'openjdk version \"1.8.0_392\"' >&2\n");
    fakeJava.toFile().setExecutable(true);
    try (SshLauncher own = new SshLauncher(settings(freshDirectory("cache-old")).withRemoteJava(fakeJava.toString()))) {
      assertThatThrownBy(() -> own.launch(echo("old-" + UUID.randomUUID(), "echo", 0), host, TIMEOUT))
          .isInstanceOf(LaunchException.class)
          .hasMessageContaining("java on " + sshd.host() + " ('" + fakeJava + "') is too old: it is Java 8")
          .hasMessageContaining("has class files of version 61 (Java 17)")
          .hasMessageContaining("Fix: install Java 17 or newer there, or set RPC_PARALLEL_SSH_JAVA");
    }
  }

  @Test
  void noRemoteJavaIsNamed() throws Exception {
    try (SshLauncher own = new SshLauncher(settings(freshDirectory("cache-nojava")).withRemoteJava("/no/such/jdk/bin/java"))) {
      assertThatThrownBy(() -> own.launch(echo("nojava-" + UUID.randomUUID(), "echo", 0), host, TIMEOUT))
          .isInstanceOf(LaunchException.class)
          .hasMessageContaining("cannot run java on " + sshd.host() + " ('/no/such/jdk/bin/java', exit status 127)")
          .hasMessageContaining("not found")
          .hasMessageContaining("Fix: install a JDK there, or set RPC_PARALLEL_SSH_JAVA");
    }
  }

  @Test
  void verifyModeAcceptsTheSameClassPathAndNamesAMissingEntry() throws Exception {
    SshSettings verify = settings(freshDirectory("cache-verify")).withClassPathMode(SshSettings.ClassPathMode.VERIFY);
    try (SshLauncher own = new SshLauncher(verify)) {
      SshProcess same = (SshProcess) own.launch(echo("verify-" + UUID.randomUUID(), "echo", 0), host, TIMEOUT);
      same.stdin().close();
      assertThat(same.onExit().get(60, TimeUnit.SECONDS)).isEqualTo(ProcessEnd.exited(0));
      assertThat(same.copiedEntries()).isZero();

      Path jar = freshDirectory("verify-missing").resolve("gone.jar");
      Files.write(jar, new byte[] {'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
      LaunchSpec spec = LaunchSpec.builder(EchoMain.class.getName()).classPath(List.of(jar)).build();
      Files.delete(jar.getParent().resolve("gone.jar"));
      assertThatThrownBy(() -> own.launch(spec, host, TIMEOUT))
          .isInstanceOf(LaunchException.class)
          .hasMessageContaining("gone.jar");
    }
  }

  @Test
  void anUnknownHostIsNamed() {
    URI unknown = URI.create("ssh://no-such-host.invalid");
    assertThatThrownBy(() -> launcher.launch(echo("unknown", "echo", 0), unknown, TIMEOUT))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("unknown host no-such-host.invalid: ssh says: ")
        .hasMessageContaining("Fix: check the name");
  }

  @Test
  void aRefusedKeyIsNamedWithTheFix() throws Exception {
    Path dir = freshDirectory("wrong-key");
    Path key = dir.resolve("id");
    assertThat(new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
        .redirectErrorStream(true).start().waitFor()).isZero();
    SshSettings wrongKey = settings(freshDirectory("cache-key")).withSshCommand(List.of("ssh", "-F", "/dev/null",
        "-o", "IdentitiesOnly=yes", "-i", key.toString(), "-o", "IdentityAgent=none",
        "-o", "UserKnownHostsFile=" + sshd.knownHosts(), "-o", "StrictHostKeyChecking=yes"));
    URI target = URI.create("ssh://root@127.0.0.1:" + sshd.port());
    try (SshLauncher own = new SshLauncher(wrongKey)) {
      assertThatThrownBy(() -> own.launch(echo("key", "echo", 0), target, TIMEOUT))
          .isInstanceOf(LaunchException.class)
          .hasMessageContaining("authentication to ssh://root@127.0.0.1:" + sshd.port() + " was refused: ssh says: ")
          .hasMessageContaining("Permission denied")
          .hasMessageContaining("never ask for a password");
    }
  }

  @Test
  void aChangedHostKeyIsNamedWithTheFix() throws Exception {
    Path dir = freshDirectory("changed-key");
    Path otherHostKey = dir.resolve("host");
    assertThat(new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", otherHostKey.toString())
        .redirectErrorStream(true).start().waitFor()).isZero();
    String pub = Files.readString(dir.resolve("host.pub")).strip().split(" ", 3)[0] + " "
        + Files.readString(dir.resolve("host.pub")).strip().split(" ", 3)[1];
    Path knownHosts = dir.resolve("known_hosts");
    Files.writeString(knownHosts, "[127.0.0.1]:" + sshd.port() + " " + pub + "\n");
    SshSettings changed = settings(freshDirectory("cache-changed")).withSshCommand(List.of("ssh", "-F", "/dev/null",
        "-o", "IdentitiesOnly=yes", "-i", sshd.key().toString(), "-o", "IdentityAgent=none",
        "-o", "UserKnownHostsFile=" + knownHosts, "-o", "StrictHostKeyChecking=yes"));
    URI target = URI.create("ssh://root@127.0.0.1:" + sshd.port());
    try (SshLauncher own = new SshLauncher(changed)) {
      assertThatThrownBy(() -> own.launch(echo("hostkey", "echo", 0), target, TIMEOUT))
          .isInstanceOf(LaunchException.class)
          .hasMessageContaining("the host key of 127.0.0.1 has changed: ssh says: ")
          .hasMessageContaining("ssh-keygen -R 127.0.0.1");
    }
  }
}
