package dev.rpcparallel.launch.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the {@link SshLauncher}. Immutable; change one with the {@code with...} methods.
 * {@link #fromEnvironment()} reads them as a user sets them:
 *
 * <ul>
 *   <li>{@code RPC_PARALLEL_SSH}: the ssh command and its leading options, split as a shell would
 *       (no expansion), e.g. {@code ssh -F ~/.ssh/cluster_config -i ~/.ssh/cluster_key}; default
 *       {@code ssh}. Like Git's {@code GIT_SSH_COMMAND}.
 *   <li>{@code RPC_PARALLEL_SSH_JAVA}: the {@code java} to run on the remote host; default
 *       {@code java} on the remote PATH.
 *   <li>{@code RPC_PARALLEL_SSH_CACHE}: the remote class-path cache directory ({@code ~/} is the
 *       remote home); default {@code ${XDG_CACHE_HOME:-~/.cache}/rpc-parallel/classpath}.
 *   <li>{@code RPC_PARALLEL_SSH_CLASSPATH}: {@code ship} (default: copy the class path into the
 *       cache) or {@code verify} (the class path exists on the remote host at the same paths:
 *       check it by hash, copy nothing).
 * </ul>
 *
 * <p>Each may also be set as a system property, used when the variable is not set:
 * {@code rpcparallel.ssh}, {@code rpcparallel.ssh.java}, {@code rpcparallel.ssh.cache},
 * {@code rpcparallel.ssh.classpath}. A target URI may set the last three for its host:
 * {@code ssh://h1?java=/opt/jdk17/bin/java&cache=/scratch/rpc-cache&classpath=verify}
 * ({@link #forTarget}).
 *
 * @param sshCommand the ssh program and its leading options
 * @param controlDirectory the local directory of the master connections' sockets (created 0700)
 * @param controlPersist how long an idle master connection stays up
 * @param remoteJava the remote {@code java}
 * @param remoteCacheDirectory the remote cache directory; empty for the default
 * @param classPathMode shipping or verifying the class path
 * @param eofGrace how long a remote process may take to exit by itself after end-of-file on its
 *     stdin before the launch wrapper sends it SIGTERM (and SIGKILL 5 s later)
 */
public record SshSettings(
    List<String> sshCommand,
    Path controlDirectory,
    Duration controlPersist,
    String remoteJava,
    Optional<String> remoteCacheDirectory,
    ClassPathMode classPathMode,
    Duration eofGrace) {

  /** How the class path reaches the remote host. */
  public enum ClassPathMode {
    /** Copy each entry once into the remote content-addressed cache. */
    SHIP,
    /** The entries exist on the remote host at the same paths; check them by SHA-256. */
    VERIFY
  }

  public SshSettings {
    sshCommand = List.copyOf(sshCommand);
    if (sshCommand.isEmpty()) {
      throw new IllegalArgumentException("the ssh command is empty");
    }
    Objects.requireNonNull(controlDirectory, "controlDirectory");
    Objects.requireNonNull(controlPersist, "controlPersist");
    Objects.requireNonNull(remoteJava, "remoteJava");
    Objects.requireNonNull(remoteCacheDirectory, "remoteCacheDirectory");
    Objects.requireNonNull(classPathMode, "classPathMode");
    Objects.requireNonNull(eofGrace, "eofGrace");
  }

  /** The settings from this process's environment (see the class description). */
  public static SshSettings fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  static SshSettings fromEnvironment(Map<String, String> env) {
    String command = setting(env, "RPC_PARALLEL_SSH", "rpcparallel.ssh");
    String mode = setting(env, "RPC_PARALLEL_SSH_CLASSPATH", "rpcparallel.ssh.classpath");
    ClassPathMode classPathMode = mode(mode, "RPC_PARALLEL_SSH_CLASSPATH");
    String java = setting(env, "RPC_PARALLEL_SSH_JAVA", "rpcparallel.ssh.java");
    String cache = setting(env, "RPC_PARALLEL_SSH_CACHE", "rpcparallel.ssh.cache");
    return new SshSettings(
        command.isEmpty() ? List.of("ssh") : ShellWords.split(command),
        defaultControlDirectory(env),
        Duration.ofMinutes(5),
        java.isEmpty() ? "java" : java,
        cache.isEmpty() ? Optional.empty() : Optional.of(cache),
        classPathMode,
        Duration.ofSeconds(5));
  }

  /** The variable, else the system property, else empty; stripped. */
  private static String setting(Map<String, String> env, String variable, String property) {
    String value = env.get(variable);
    if (value == null || value.isBlank()) {
      value = System.getProperty(property, "");
    }
    return value.strip();
  }

  private static ClassPathMode mode(String mode, String name) {
    return switch (mode) {
      case "ship", "" -> ClassPathMode.SHIP;
      case "verify" -> ClassPathMode.VERIFY;
      default -> throw new IllegalArgumentException(name + "=" + mode + " is not a mode: use ship or verify");
    };
  }

  /**
   * These settings with those of {@code target}'s query: {@code java=PATH} (the remote java),
   * {@code cache=DIR} (the remote cache directory), {@code classpath=ship|verify}.
   *
   * @throws IllegalArgumentException naming an unknown or malformed entry and the known ones
   */
  public SshSettings forTarget(java.net.URI target) {
    String query = target.getQuery();
    if (query == null || query.isEmpty()) {
      return this;
    }
    SshSettings result = this;
    for (String entry : query.split("&")) {
      int equals = entry.indexOf('=');
      String name = equals < 0 ? entry : entry.substring(0, equals);
      String value = equals < 0 ? "" : entry.substring(equals + 1);
      if (value.isBlank()) {
        throw new IllegalArgumentException("ssh target " + target + ": '" + entry
            + "' has no value; write java=PATH, cache=DIR or classpath=ship|verify");
      }
      result = switch (name) {
        case "java" -> result.withRemoteJava(value);
        case "cache" -> result.withRemoteCacheDirectory(value);
        case "classpath" -> result.withClassPathMode(mode(value, "classpath"));
        default -> throw new IllegalArgumentException("ssh target " + target + ": unknown setting '" + name
            + "'; the settings of a target are java, cache and classpath");
      };
    }
    return result;
  }

  private static Path defaultControlDirectory(Map<String, String> env) {
    String runtime = env.get("XDG_RUNTIME_DIR");
    if (runtime != null && !runtime.isBlank()) {
      return Path.of(runtime, "rpc-parallel-ssh");
    }
    return Path.of(System.getProperty("java.io.tmpdir"),
        "rpc-parallel-ssh-" + System.getProperty("user.name"));
  }

  public SshSettings withSshCommand(List<String> command) {
    return new SshSettings(command, controlDirectory, controlPersist, remoteJava,
        remoteCacheDirectory, classPathMode, eofGrace);
  }

  public SshSettings withControlDirectory(Path directory) {
    return new SshSettings(sshCommand, directory, controlPersist, remoteJava,
        remoteCacheDirectory, classPathMode, eofGrace);
  }

  public SshSettings withRemoteJava(String java) {
    return new SshSettings(sshCommand, controlDirectory, controlPersist, java,
        remoteCacheDirectory, classPathMode, eofGrace);
  }

  public SshSettings withRemoteCacheDirectory(String directory) {
    return new SshSettings(sshCommand, controlDirectory, controlPersist, remoteJava,
        Optional.of(directory), classPathMode, eofGrace);
  }

  public SshSettings withClassPathMode(ClassPathMode mode) {
    return new SshSettings(sshCommand, controlDirectory, controlPersist, remoteJava,
        remoteCacheDirectory, mode, eofGrace);
  }

  public SshSettings withEofGrace(Duration grace) {
    return new SshSettings(sshCommand, controlDirectory, controlPersist, remoteJava,
        remoteCacheDirectory, classPathMode, grace);
  }
}
