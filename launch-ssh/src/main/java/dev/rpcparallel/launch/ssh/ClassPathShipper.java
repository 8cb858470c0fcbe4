package dev.rpcparallel.launch.ssh;

import dev.rpcparallel.launch.ssh.SshClient.Deadline;
import dev.rpcparallel.spi.launch.LaunchException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Makes a class path usable on a remote host: checks what the launch session reports of the
 * remote java and the cache (or, in verify mode, the hashes of the paths there) against the
 * class files, and copies the missing entries into the content-addressed cache while that
 * session waits. Thread-safe (no state of its own).
 */
final class ClassPathShipper {
  private static final Logger log = LogManager.getLogger(ClassPathShipper.class);

  private final SshClient ssh;
  private final SshSettings settings;
  private final ClassPathDigester digester;

  ClassPathShipper(SshClient ssh, SshSettings settings, ClassPathDigester digester) {
    this.ssh = ssh;
    this.settings = settings;
    this.digester = digester;
  }

  /** The class path's entries as they are shipped (hashed; directories packed into jars). */
  List<ClassPathEntry> entries(SshTarget target, List<Path> classPath) throws LaunchException {
    List<ClassPathEntry> entries = new ArrayList<>();
    for (Path path : classPath) {
      try {
        entries.add(digester.digest(path));
      } catch (IOException e) {
        throw new LaunchException("cannot read class-path entry " + path + " for " + target + ": "
            + e.getMessage() + ". Fix: build it, or leave it out of the class path", e);
      }
    }
    return entries;
  }

  /**
   * What the launch script is given for each entry: its cache key when shipping, its path when
   * verifying.
   */
  List<String> remoteNames(List<ClassPathEntry> entries) {
    boolean verify = settings.classPathMode() == SshSettings.ClassPathMode.VERIFY;
    return entries.stream().map(e -> verify ? e.localPath().toString() : e.cacheKey()).toList();
  }

  /**
   * Checks the launch script's report ({@link RemoteScripts#LAUNCH}): the java's version against
   * the class files, then (verify) every path's hash, or (ship) the cache; and copies the entries
   * the cache lacks, each once.
   *
   * @param stderr what the script wrote on stderr if it has ended (else empty)
   * @return how many entries were copied
   */
  int checkAndCopy(SshTarget target, RemoteProbe probe, String stderr, List<ClassPathEntry> entries,
      Deadline deadline) throws LaunchException {
    checkJava(target, probe, entries);
    if (settings.classPathMode() == SshSettings.ClassPathMode.VERIFY) {
      verifyAll(target, probe, entries);
      return 0;
    }
    if (probe.cacheDirectory() == null) {
      throw new LaunchException("cannot create the class-path cache "
          + settings.remoteCacheDirectory().orElse("(default)") + " on " + target.host()
          + ": the remote shell says: " + stderr.strip()
          + ". Fix: set RPC_PARALLEL_SSH_CACHE to a writable directory there");
    }
    List<ClassPathEntry> missing = entries.stream()
        .filter(e -> !probe.present().contains(e.cacheKey())).distinct().toList();
    long needed = missing.stream().mapToLong(ClassPathEntry::size).sum();
    if (probe.freeBytes().isPresent() && probe.freeBytes().getAsLong() < needed) {
      throw noSpace(target, probe.cacheDirectory(), needed, "only " + probe.freeBytes().getAsLong()
          + " bytes are free there");
    }
    for (ClassPathEntry entry : missing) {
      copy(target, probe.cacheDirectory(), entry, needed, deadline);
    }
    if (!missing.isEmpty()) {
      log.debug("copied {} of {} class-path entries to {}", missing.size(), entries.size(), target);
    }
    return missing.size();
  }

  private void copy(SshTarget target, String cache, ClassPathEntry entry, long needed,
      Deadline deadline) throws LaunchException {
    SshClient.Result result = ssh.run(target, RemoteScripts.command(RemoteScripts.COPY,
        "rpc-parallel-copy", List.of(cache, entry.sha256(), entry.remoteName())),
        entry.shippedFile(), deadline, "copying " + entry.localPath().getFileName());
    if (result.status() == 0) {
      return;
    }
    String said = result.stderr().strip();
    if (said.toLowerCase(java.util.Locale.ROOT).contains("no space left")) {
      throw noSpace(target, cache, needed, "the remote shell says: " + said);
    }
    if (result.status() == 255) {
      throw SshFailures.classify(target, result.status(), said);
    }
    throw new LaunchException("cannot copy class-path entry " + entry.localPath() + " to "
        + target.host() + ":" + cache + ": the remote shell says: " + said
        + ". Fix: check that the directory is writable there, or set RPC_PARALLEL_SSH_CACHE");
  }

  private static LaunchException noSpace(SshTarget target, String cache, long needed, String why) {
    return new LaunchException("no disk space for the class-path cache " + cache + " on "
        + target.host() + ": the class path needs " + needed + " bytes, " + why
        + ". Fix: free space there, or set RPC_PARALLEL_SSH_CACHE to a directory with room");
  }

  private void checkJava(SshTarget target, RemoteProbe probe, List<ClassPathEntry> entries)
      throws LaunchException {
    String said = String.join(" | ", probe.javaSaid());
    if (probe.javaStatus() != 0) {
      throw new LaunchException("cannot run java on " + target.host() + " ('"
          + settings.remoteJava() + "', exit status " + probe.javaStatus() + "): the remote shell says: "
          + said + ". Fix: install a JDK there, or set RPC_PARALLEL_SSH_JAVA to its java");
    }
    OptionalInt feature = probe.javaFeature();
    if (feature.isEmpty()) {
      throw new LaunchException("cannot tell the version of java on " + target.host() + " ('"
          + settings.remoteJava() + "'): java -version says: " + said
          + ". Fix: set RPC_PARALLEL_SSH_JAVA to a JDK's java");
    }
    int runs = feature.getAsInt() + 44;
    for (ClassPathEntry entry : entries) {
      if (entry.classMajor() > runs) {
        throw new LaunchException("java on " + target.host() + " ('" + settings.remoteJava()
            + "') is too old: it is Java " + feature.getAsInt() + " (class files up to version "
            + runs + "), but " + entry.localPath() + " has class files of version "
            + entry.classMajor() + " (Java " + (entry.classMajor() - 44) + "). Fix: install Java "
            + (entry.classMajor() - 44) + " or newer there, or set RPC_PARALLEL_SSH_JAVA to it");
      }
    }
  }

  private void verifyAll(SshTarget target, RemoteProbe probe, List<ClassPathEntry> entries)
      throws LaunchException {
    for (ClassPathEntry entry : entries) {
      String path = entry.localPath().toString();
      if (probe.missing().contains(path) || !probe.sums().containsKey(path)) {
        throw new LaunchException("class-path entry " + path + " does not exist on "
            + target.host() + ". Fix: install the same class path there, or ship it "
            + "(RPC_PARALLEL_SSH_CLASSPATH=ship)");
      }
      String local;
      try {
        local = java.nio.file.Files.isDirectory(entry.localPath())
            ? ClassPathDigester.treeHash(entry.localPath())
            : entry.sha256();
      } catch (IOException e) {
        throw new LaunchException("cannot hash class-path entry " + path + ": " + e.getMessage(), e);
      }
      String remote = probe.sums().get(path);
      if (!remote.equals(local)) {
        throw new LaunchException("class-path entry " + path + " on " + target.host()
            + " does not match the local " + path + " (sha256 " + remote + " there, " + local
            + " here). Fix: install the same version there, or ship the class path "
            + "(RPC_PARALLEL_SSH_CLASSPATH=ship)");
      }
    }
  }
}
