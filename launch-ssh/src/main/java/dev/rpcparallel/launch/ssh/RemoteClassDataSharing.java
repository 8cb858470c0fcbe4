package dev.rpcparallel.launch.ssh;

import dev.rpcparallel.spi.launch.ClassDataSharingOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Application class data sharing for processes launched over ssh: one static CDS archive kept in
 * the host's class-path cache ({@code cds/KEY-JAVA.jsa}), made once per class path and java, and
 * mapped by every later launch of them in place of the JDK's default archive: such a process maps
 * one archive of the classes it uses (this JDK relocates, and so keeps resident, every page of
 * every archive it maps) and skips parsing, verifying and linking them. This class names the
 * archive and chooses the dump's options; the remote launch script adds the java's file identity
 * ({@code JAVA}), and makes and uses the archive ({@link RemoteScripts#LAUNCH}). {@code KEY} is a
 * hash of a version string, the class path's cache entries (content hashes, in order) and the JVM
 * options that bear on an archive ({@link ClassDataSharingOptions#bearsOnArchive}).
 *
 * <p>The first launch that finds no archive claims it (a lock directory; a claim older than two
 * minutes is taken over) and runs with {@code -XX:DumpLoadedClassList} to a temporary file of its
 * own. When that process has exited with status 0, the script runs the same {@code java} with
 * {@code -Xshare:dump}, that class list, the launch's class path and {@link ClassDataSharingOptions#staticDumpOptions} (G1,
 * whatever the process's collector, and the options that must match), ended after
 * {@value ClassDataSharingOptions#DUMP_TIMEOUT_SECONDS} s; if the dump exits with 0 it records the
 * archive's size, then renames it into place, so two launches making one at once never mix their
 * files. A failed or ended dump, or a process that exits otherwise, installs nothing; the class
 * list is deleted before the claim is released. A launch maps the archive only when its size is
 * the recorded one (a truncated archive crashes the JVM that maps it); any other mismatch
 * (another java, a rewritten jar) the JVM detects itself, and with {@code -Xshare:auto}, its
 * default, it starts without class data sharing. The JVM's own CDS messages are turned off
 * ({@code -Xlog:cds*=off}, before the process's options, which win).
 *
 * <p>Off when: the class path is verified in place rather than shipped; {@code
 * -Drpcparallel.cds=false} is among the JVM options or a system property of this JVM; or the JVM
 * options choose CDS themselves ({@link ClassDataSharingOptions#choosesSharing}: {@code -Xshare},
 * {@code -XX:SharedArchiveFile}, ...), as for workers on this host; or an option the dump would
 * take holds a line break (the script passes them as lines). Thread-safe (no state).
 */
final class RemoteClassDataSharing {
  private static final String ENABLED = "rpcparallel.cds";

  private RemoteClassDataSharing() {}

  /** The archive key for a launch of {@code entries} with {@code jvmOptions}, or empty for none. */
  static Optional<String> archiveKey(SshSettings settings, List<ClassPathEntry> entries, List<String> jvmOptions) {
    if (settings.classPathMode() != SshSettings.ClassPathMode.SHIP || entries.isEmpty()) {
      return Optional.empty();
    }
    String enabled = System.getProperty(ENABLED, "true");
    for (String option : jvmOptions) {
      if (option.startsWith("-D" + ENABLED + "=")) {
        enabled = option.substring(ENABLED.length() + 3);
      }
      if (ClassDataSharingOptions.choosesSharing(option)) {
        return Optional.empty();
      }
    }
    if (!Boolean.parseBoolean(enabled.strip())
        || ClassDataSharingOptions.staticDumpOptions(jvmOptions).stream().anyMatch(option -> option.contains("\n"))) {
      return Optional.empty();
    }
    MessageDigest digest = sha256();
    digest.update("rpc-parallel remote archive 2 (static)\n".getBytes(StandardCharsets.UTF_8));
    for (ClassPathEntry entry : entries) {
      digest.update((entry.cacheKey() + "\n").getBytes(StandardCharsets.UTF_8));
    }
    for (String option : jvmOptions) {
      if (ClassDataSharingOptions.bearsOnArchive(option)) {
        digest.update((option + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    return Optional.of(HexFormat.of().formatHex(digest.digest()).substring(0, 32));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
