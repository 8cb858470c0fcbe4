package dev.rpcparallel.launch.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RemoteClassDataSharingTest {
  private static final SshSettings SHIP = SshSettings.fromEnvironment(java.util.Map.of());
  private static final List<ClassPathEntry> ENTRIES = List.of(
      entry("a".repeat(64), "app.jar"), entry("b".repeat(64), "lib.jar"));

  private static ClassPathEntry entry(String sha256, String name) {
    return new ClassPathEntry(Path.of("/x/" + name), sha256, Path.of("/x/" + name), name, 10, 61);
  }

  private static Optional<String> key(List<ClassPathEntry> entries, String... options) {
    return RemoteClassDataSharing.archiveKey(SHIP, entries, List.of(options));
  }

  @Test
  void theKeyNamesTheEntriesInOrderAndTheOptionsThatBearOnAnArchive() {
    String key = key(ENTRIES, "-Xmx64m", "-Dapp.name=one").orElseThrow();
    assertThat(key).matches("[0-9a-f]{32}");
    assertThat(key(ENTRIES, "-Xmx64m", "-Dapp.name=two")).as("a property bears on no archive").contains(key);
    assertThat(key(ENTRIES, "-Xmx64m", "-Xlog:gc")).as("nor does logging").contains(key);
    assertThat(key(ENTRIES, "-Xmx128m")).isNotEqualTo(Optional.of(key));
    assertThat(key(ENTRIES, "-Xmx64m", "-XX:+UseSerialGC")).isNotEqualTo(Optional.of(key));
    assertThat(key(List.of(ENTRIES.get(1), ENTRIES.get(0)), "-Xmx64m")).isNotEqualTo(Optional.of(key));
    assertThat(key(List.of(ENTRIES.get(0), entry("c".repeat(64), "lib.jar")), "-Xmx64m"))
        .as("another content of an entry").isNotEqualTo(Optional.of(key));
  }

  @Test
  void noArchiveWhenTheOptionsChooseSharingOrTurnItOffOrTheClassPathIsVerifiedInPlace() {
    assertThat(key(ENTRIES, "-Xshare:auto")).isEmpty();
    assertThat(key(ENTRIES, "-XX:SharedArchiveFile=/tmp/a.jsa")).isEmpty();
    assertThat(key(ENTRIES, "-XX:ArchiveClassesAtExit=/tmp/a.jsa")).isEmpty();
    assertThat(key(ENTRIES, "-XX:DumpLoadedClassList=/tmp/a.classlist")).as("a class list of its own").isEmpty();
    assertThat(key(ENTRIES, "-XX:CompileCommand=exclude,a.B::c\nexclude,d.E::f")).as("a dump option the script cannot pass").isEmpty();
    assertThat(key(ENTRIES, "-Drpcparallel.cds=false")).isEmpty();
    assertThat(key(ENTRIES, "-Drpcparallel.cds=false", "-Drpcparallel.cds=true")).as("the last one wins").isPresent();
    assertThat(key(List.of())).isEmpty();
    assertThat(RemoteClassDataSharing.archiveKey(SHIP.withClassPathMode(SshSettings.ClassPathMode.VERIFY),
        ENTRIES, List.of())).isEmpty();
  }

  @Test
  void archivesOfTheOldKindAreNotNamedByTheKey() {
    // Version 1 keys named dynamic archives; a static one must never be looked for under their names.
    java.security.MessageDigest digest;
    try {
      digest = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    digest.update("rpc-parallel remote archive 1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    for (ClassPathEntry entry : ENTRIES) {
      digest.update((entry.cacheKey() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    digest.update("-Xmx64m\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String dynamicKey = java.util.HexFormat.of().formatHex(digest.digest()).substring(0, 32);
    assertThat(key(ENTRIES, "-Xmx64m")).isPresent().get().isNotEqualTo(dynamicKey);
  }
}
