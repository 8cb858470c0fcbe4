package dev.rpcparallel.launch.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.spi.launch.LaunchSpec;
import dev.rpcparallel.spi.launch.LaunchedProcess;
import dev.rpcparallel.spi.launch.ProcessEnd;
import dev.rpcparallel.testbackends.TestSshd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What one launch costs on the host when its class path is cached: one ssh session (the check of
 * java and the cache and the run), and one static class-data archive in the host's cache, dumped
 * from the class list of the first launch of a class path and mapped by later ones in place of
 * the JDK's default archive, which no bad archive, failed dump or failed process can break. Real
 * ssh and sshd ({@code .ci/sshd.sh}); the ssh command is a script that notes each invocation and
 * runs the real ssh.
 */
class SshLaunchSessionIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final Path TARGET = Path.of("target").toAbsolutePath();
  private static TestSshd sshd;
  private static URI host;
  private static Path directory;
  private static Path sshCalls;
  private static Path countingSsh;

  @BeforeAll
  static void countingSshCommand() throws IOException {
    sshd = TestSshd.findOrExplain();
    if (sshd == null) {
      return;
    }
    host = URI.create("ssh://" + sshd.host());
    // Short: ssh's socket paths must fit in 103 bytes.
    directory = Files.createTempDirectory("rpsess");
    sshCalls = directory.resolve("calls");
    countingSsh = directory.resolve("ssh");
    // One line per call: its arguments, the remote script's lines joined.
    Files.writeString(countingSsh, "#!/bin/sh\nprintf '%s' \"$*\" | tr '\\n' ' ' >> '" + sshCalls + "'\n"
        + "echo >> '" + sshCalls + "'\nexec ssh \"$@\"\n");
    countingSsh.toFile().setExecutable(true);
  }

  @AfterAll
  static void deleteDirectory() throws IOException {
    if (directory != null) {
      deleteTree(directory);
    }
  }

  @BeforeEach
  void needsSshd() {
    Assumptions.assumeTrue(sshd != null, "no sshd for tests (see the SKIPPED line above)");
  }

  private static SshLauncher launcher(Path cache) {
    return new SshLauncher(settings(cache));
  }

  private static SshSettings settings(Path cache) {
    return SshSettings.fromEnvironment()
        .withSshCommand(List.of(countingSsh.toString(), "-F", sshd.config().toString()))
        .withControlDirectory(directory.resolve("c"))
        .withRemoteCacheDirectory(cache.toString())
        .withEofGrace(Duration.ofSeconds(5));
  }

  private static Path freshCache() throws IOException {
    Path dir = TARGET.resolve("ssh-it").resolve("session-" + UUID.randomUUID());
    Files.createDirectories(dir);
    return dir.resolve("cache");
  }

  /**
   * EchoMain with the launcher's default options as far as CDS goes (no -Xshare), exiting with
   * {@code code}; with {@code logs}, it logs where it loads classes from ({@code logs.classes})
   * and which archives it opens and maps ({@code logs.cds}), options that bear on no archive.
   */
  private static LaunchSpec echo(String marker, Path logs, int code) {
    List<String> options = new ArrayList<>(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"));
    if (logs != null) {
      options.add("-Xlog:class+load=info:file=" + logs + ".classes");
      options.add("-Xlog:cds=info:file=" + logs + ".cds");
    }
    return LaunchSpec.builder(EchoMain.class.getName())
        .classPath(List.of(TARGET.resolve("test-classes")))
        .jvmOptions(options)
        .arguments(List.of(marker, "echo", Integer.toString(code)))
        .build();
  }

  /** Launches EchoMain, waits for its "ready", echoes one line, ends its stdin and awaits its exit with 0. */
  private static void runOnce(SshLauncher launcher, Path logs) throws Exception {
    runOnce(launcher, logs, 0);
  }

  private static void runOnce(SshLauncher launcher, Path logs, int code) throws Exception {
    LaunchedProcess process = launcher.launch(echo("session-" + UUID.randomUUID(), logs, code), host, TIMEOUT);
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
      try {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        process.stdout().transferTo(all);
        return all.toString(StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    process.stdin().write("one line\n".getBytes(StandardCharsets.UTF_8));
    process.stdin().close();
    assertThat(process.onExit().get(60, TimeUnit.SECONDS)).isEqualTo(ProcessEnd.exited(code));
    assertThat(out.get(30, TimeUnit.SECONDS)).contains("ready").contains("echo one line");
  }

  /** Where the JVM loaded EchoMain from, as its class+load log says. */
  private static String sourceOfEchoMain(Path logs) throws IOException {
    return Files.readAllLines(Path.of(logs + ".classes")).stream()
        .filter(l -> l.contains(EchoMain.class.getName() + " source:"))
        .findFirst().orElse("(not logged)");
  }

  /**
   * The launch logged in {@code logs} mapped {@code archive} alone, as a static archive, in place
   * of the JDK's default one: no {@code lib/server/classes.jsa}, no dynamic archive on top, and
   * EchoMain came from it.
   */
  private static void assertMappedOurStaticArchiveOnly(Path logs, Path archive) throws IOException {
    String cds = Files.readString(Path.of(logs + ".cds"));
    assertThat(cds).contains("Opened archive " + archive + ".").contains("Mapped static  region")
        .doesNotContain("lib/server/classes").doesNotContain("Mapped dynamic");
    assertThat(sourceOfEchoMain(logs)).endsWith(" source: shared objects file");
  }

  private static List<Path> filesIn(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }

  private static Path theArchive(Path cache) throws IOException {
    List<Path> archives = filesIn(cache.resolve("cds")).stream()
        .filter(p -> p.getFileName().toString().endsWith(".jsa")).toList();
    assertThat(archives).as("archives in " + cache.resolve("cds")).hasSize(1);
    return archives.get(0);
  }

  @Test
  void aLaunchWhoseClassPathIsCachedIsOneSshSession() throws Exception {
    try (SshLauncher launcher = launcher(freshCache())) {
      runOnce(launcher, null);
      Files.deleteIfExists(sshCalls);
      runOnce(launcher, null);
      List<String> sessions = Files.readAllLines(sshCalls).stream()
          .filter(call -> !call.contains(" -O ")).toList();
      assertThat(sessions).as("ssh sessions of a launch that copies nothing").hasSize(1);
      assertThat(sessions.get(0)).contains("rpc-parallel-run-");
    }
  }

  @Test
  void theFirstLaunchOfAClassPathMakesAnArchiveThatLaterLaunchesMap() throws Exception {
    Path cache = freshCache();
    try (SshLauncher launcher = launcher(cache)) {
      Path first = cache.resolveSibling("first");
      runOnce(launcher, first);
      assertThat(sourceOfEchoMain(first)).doesNotContain("shared objects file");
      Path archive = theArchive(cache);
      assertThat(archive.getFileName().toString()).matches("[0-9a-f]{32}-[0-9]+-[0-9]+-[0-9]+-[0-9]+\\.jsa");
      assertThat(Files.readString(Path.of(archive + ".size")).strip()).isEqualTo(Long.toString(Files.size(archive)));
      assertThat(filesIn(cache.resolve("cds"))).as("no temporary file or claim left")
          .containsExactly(archive, Path.of(archive + ".size"));

      Path later = cache.resolveSibling("later");
      runOnce(launcher, later);
      assertMappedOurStaticArchiveOnly(later, archive);
    }
  }

  @Test
  void aLaunchThatExitsWithAnythingButZeroInstallsNothingAndLeavesNothing() throws Exception {
    Path cache = freshCache();
    try (SshLauncher launcher = launcher(cache)) {
      runOnce(launcher, null, 3);
      assertThat(filesIn(cache.resolve("cds"))).as("no archive, class list, temporary file or claim").isEmpty();

      runOnce(launcher, null); // the claim was released: this launch makes the archive
      Path archive = theArchive(cache);
      Path later = cache.resolveSibling("later");
      runOnce(launcher, later);
      assertMappedOurStaticArchiveOnly(later, archive);
    }
  }

  @Test
  void aFailedDumpInstallsNothingAndLeavesNothing() throws Exception {
    // The remote java: the real one, except that it refuses to dump (and notes that it was asked to).
    Path dir = freshCache().resolveSibling("java-refusing-dumps");
    Files.createDirectories(dir);
    Path asked = dir.resolve("dump-asked");
    Path java = dir.resolve("java");
    String realJava = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.writeString(java, "#!/bin/sh\ncase \" $* \" in *\" -Xshare:dump \"*) touch '" + asked
        + "'; echo 'no dump here' >&2; exit 1 ;; esac\nexec '" + realJava + "' \"$@\"\n");
    java.toFile().setExecutable(true);
    Path cache = dir.resolveSibling("cache");
    try (SshLauncher launcher = new SshLauncher(settings(cache).withRemoteJava(java.toString()))) {
      runOnce(launcher, null);
      assertThat(asked).as("the launch exited with 0, so the script ran the dump").exists();
      assertThat(filesIn(cache.resolve("cds"))).as("no archive, class list, temporary file or claim").isEmpty();
      Path later = cache.resolveSibling("later");
      runOnce(launcher, later);
      assertThat(sourceOfEchoMain(later)).as("no archive of ours to map").doesNotContain("shared objects file");
    }
  }

  @Test
  void aDamagedArchiveNeverBreaksALaunchAndATruncatedOneIsMadeAgain() throws Exception {
    Path cache = freshCache();
    try (SshLauncher launcher = launcher(cache)) {
      runOnce(launcher, null);
      Path archive = theArchive(cache);
      long size = Files.size(archive);

      // Garbage of the recorded size: the JVM refuses it and starts without it.
      byte[] garbage = new byte[(int) size];
      new java.util.Random(7).nextBytes(garbage);
      Files.write(archive, garbage);
      Path withGarbage = cache.resolveSibling("garbage");
      runOnce(launcher, withGarbage);
      assertThat(sourceOfEchoMain(withGarbage)).doesNotContain("shared objects file");

      // Truncated (it would crash a JVM that maps it): not mapped, and made again.
      byte[] whole = Files.readAllBytes(archive);
      Files.write(archive, java.util.Arrays.copyOf(whole, whole.length / 2));
      Path truncated = cache.resolveSibling("truncated");
      runOnce(launcher, truncated);
      assertThat(sourceOfEchoMain(truncated)).doesNotContain("shared objects file");
      Path remade = theArchive(cache);
      assertThat(Files.readString(Path.of(remade + ".size")).strip()).isEqualTo(Long.toString(Files.size(remade)));

      Path after = cache.resolveSibling("after");
      runOnce(launcher, after);
      assertMappedOurStaticArchiveOnly(after, remade);
    }
  }

  @Test
  void twoFirstLaunchesAtOnceLeaveOneWholeArchive() throws Exception {
    Path cache = freshCache();
    try (SshLauncher launcher = launcher(cache)) {
      runOnce(launcher, null); // copies the class path, and makes an archive: deleted, so that two make it at once
      Path made = theArchive(cache);
      Files.delete(made);
      Files.delete(Path.of(made + ".size"));
      CompletableFuture<Void> one = CompletableFuture.runAsync(() -> run(launcher));
      CompletableFuture<Void> two = CompletableFuture.runAsync(() -> run(launcher));
      CompletableFuture.allOf(one, two).get(120, TimeUnit.SECONDS);
      Path archive = theArchive(cache);
      assertThat(Files.readString(Path.of(archive + ".size")).strip()).isEqualTo(Long.toString(Files.size(archive)));
      assertThat(filesIn(cache.resolve("cds"))).containsExactly(archive, Path.of(archive + ".size"));
      Path later = cache.resolveSibling("later");
      runOnce(launcher, later);
      assertMappedOurStaticArchiveOnly(later, archive);
    }
  }

  private static void run(SshLauncher launcher) {
    try {
      runOnce(launcher, null);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }
}
