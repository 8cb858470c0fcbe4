package dev.rpcparallel.launch.ssh;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Application class data sharing for processes launched over ssh: a dynamic CDS archive kept in
 * the host's class-path cache ({@code cds/KEY-JAVA.jsa}), made once per class path and java, and
 * mapped by every later launch of them, which then skips parsing, verifying and linking those
 * classes. This class names the archive: {@code KEY} is a hash of the class path's cache entries
 * (content hashes, in order) and the JVM options that bear on an archive; the remote launch
 * script adds the java's file identity ({@code JAVA}), and makes and uses the archive
 * ({@link RemoteScripts#LAUNCH}).
 *
 * <p>The first launch that finds no archive claims it (a lock directory; a claim older than two
 * minutes is taken over) and runs with {@code -XX:ArchiveClassesAtExit} to a temporary file of its
 * own; when that process has exited with status 0 the script records the archive's size, then
 * renames it into place, so two launches making one at once never mix their files. A launch maps
 * the archive only when its size is the recorded one (a truncated archive crashes the JVM that
 * maps it); any other mismatch (another java, a rewritten jar) the JVM detects itself, and with
 * {@code -Xshare:auto}, its default, it starts without the archive. The JVM's own CDS messages are
 * turned off ({@code -Xlog:cds*=off}, before the process's options, which win).
 *
 * <p>Off when: the class path is verified in place rather than shipped; {@code
 * -Drpcparallel.cds=false} is among the JVM options or a system property of this JVM; or the JVM
 * options choose CDS themselves ({@code -Xshare}, {@code -XX:SharedArchiveFile}, ...), as for
 * workers on this host. Thread-safe (no state).
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
      if (choosesSharing(option)) {
        return Optional.empty();
      }
    }
    if (!Boolean.parseBoolean(enabled.strip())) {
      return Optional.empty();
    }
    MessageDigest digest = sha256();
    digest.update("rpc-parallel remote archive 1\n".getBytes(StandardCharsets.UTF_8));
    for (ClassPathEntry entry : entries) {
      digest.update((entry.cacheKey() + "\n").getBytes(StandardCharsets.UTF_8));
    }
    for (String option : jvmOptions) {
      if (affectsArchive(option)) {
        digest.update((option + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    return Optional.of(HexFormat.of().formatHex(digest.digest()).substring(0, 32));
  }

  private static boolean choosesSharing(String option) {
    return option.startsWith("-Xshare") || option.startsWith("-XX:SharedArchiveFile")
        || option.startsWith("-XX:ArchiveClassesAtExit") || option.startsWith("-XX:SharedClassListFile")
        || option.startsWith("-XX:+RecordDynamicDumpInfo");
  }

  /** Options that change what an archive holds or whether the JVM accepts it. */
  private static boolean affectsArchive(String option) {
    return option.startsWith("-XX:") || option.startsWith("-Xmx") || option.startsWith("-Xbootclasspath")
        || option.startsWith("-javaagent") || option.startsWith("-agent") || option.startsWith("--")
        || option.startsWith("-Djava.system.class.loader");
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
