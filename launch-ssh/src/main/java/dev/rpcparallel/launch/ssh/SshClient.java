package dev.rpcparallel.launch.ssh;

import dev.rpcparallel.spi.launch.LaunchException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs the system's ssh client: one multiplexed master connection per target (ControlMaster in a
 * private 0700 directory, started once and kept for {@link SshSettings#controlPersist()}), and
 * commands over it. A master may serve the launchers of several masters (runtimes) and JVMs of
 * the user: {@link #close()} only stops it from taking new sessions. Thread-safe; a master is
 * started under a per-target lock.
 */
final class SshClient {
  private static final Logger log = LogManager.getLogger(SshClient.class);

  private final SshSettings settings;
  private final ConcurrentHashMap<SshTarget, Object> masterLocks = new ConcurrentHashMap<>();
  private final Set<SshTarget> mastersStarted = ConcurrentHashMap.newKeySet();

  SshClient(SshSettings settings) {
    this.settings = settings;
  }

  /** The result of a finished ssh command. */
  record Result(int status, String stdout, String stderr) {}

  /** ssh with its options for {@code target}, multiplexed over the master if one runs. */
  List<String> command(SshTarget target, String remoteCommand) {
    List<String> command = new ArrayList<>(settings.sshCommand());
    command.addAll(List.of("-o", "BatchMode=yes", "-o", "ControlMaster=no",
        "-o", "ControlPath=" + controlPath(target), "-o", "ConnectTimeout=15"));
    command.addAll(target.sshArguments());
    command.add(remoteCommand);
    return command;
  }

  /** Makes sure a master connection to {@code target} runs; connects and authenticates if not. */
  void ensureMaster(SshTarget target, Deadline deadline) throws LaunchException {
    prepareControlDirectory();
    synchronized (masterLocks.computeIfAbsent(target, t -> new Object())) {
      if (masterRuns(target, deadline)) {
        return;
      }
      List<String> command = new ArrayList<>(settings.sshCommand());
      command.addAll(List.of("-o", "BatchMode=yes", "-o", "ControlMaster=yes",
          "-o", "ControlPath=" + controlPath(target),
          "-o", "ControlPersist=" + Math.max(1, settings.controlPersist().toSeconds()),
          "-o", "ConnectTimeout=" + Math.max(1, Math.min(30, deadline.remaining().toSeconds())),
          "-N", "-f"));
      command.addAll(target.sshArguments());
      // The master goes to the background once authenticated (-f) and keeps its stderr: a file,
      // so that nobody waits for the end of a pipe the master holds for minutes.
      Path errors;
      try {
        errors = Files.createTempFile(settings.controlDirectory(), "master-", ".err");
      } catch (IOException e) {
        throw new LaunchException("cannot write in the ssh control directory "
            + settings.controlDirectory() + ": " + e.getMessage(), e);
      }
      try {
        Process process = new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(errors.toFile())
            .start();
        int status = waitFor(process, target, deadline, "connecting");
        String said = Files.readString(errors, StandardCharsets.UTF_8);
        if (status != 0) {
          throw SshFailures.classify(target, status, said);
        }
        mastersStarted.add(target);
        log.debug("ssh master connection to {} is up", target);
      } catch (IOException e) {
        throw new LaunchException("cannot run " + command.get(0) + " for " + target + ": "
            + e.getMessage() + ". Fix: install OpenSSH's ssh client, or set RPC_PARALLEL_SSH", e);
      } finally {
        try {
          Files.deleteIfExists(errors);
        } catch (IOException ignored) {
          // the directory is private; a leftover file costs nothing
        }
      }
    }
  }

  /**
   * Whether a master connection to {@code target} answers on its control socket
   * ({@link ControlSocketProbe}: no process). A socket file whose master was killed (SIGKILL, or
   * with its process group) refuses connections: it is removed, since while it is there a new
   * master says "ControlSocket ... already exists, disabling multiplexing" and every later
   * command of every launcher makes a connection of its own.
   */
  private boolean masterRuns(SshTarget target, Deadline deadline) throws LaunchException {
    Path socket = controlPath(target);
    ControlSocketProbe.State state;
    try {
      state = ControlSocketProbe.probe(socket, deadline.remaining());
    } catch (TimeoutException e) {
      throw new LaunchException("ssh to " + target + " timed out while checking its master connection (after "
          + deadline.total().toSeconds() + " s in all): its control socket " + socket + " accepts but its master"
          + " does not answer. Fix: end that ssh master process (ssh -O exit), or give the launch more time");
    } catch (IOException e) {
      throw new LaunchException("cannot check the ssh master connection to " + target + " on its control socket "
          + socket + ": " + e.getMessage() + ". Fix: delete that file; the launcher then starts a new master", e);
    }
    if (state == ControlSocketProbe.State.STALE) {
      try {
        Files.deleteIfExists(socket);
        log.info("removed the stale ssh control socket {} (its master connection had been killed)", socket);
      } catch (IOException e) {
        throw new LaunchException("cannot remove the stale ssh control socket " + socket + ": "
            + e.getMessage() + ". Fix: delete it; while it exists ssh does not multiplex sessions to " + target, e);
      }
    }
    return state == ControlSocketProbe.State.ANSWERS;
  }

  /** Runs {@code remoteCommand} on {@code target}, feeding it {@code input} (may be null). */
  Result run(SshTarget target, String remoteCommand, Path input, Deadline deadline, String doing)
      throws LaunchException {
    ProcessBuilder builder = new ProcessBuilder(command(target, remoteCommand));
    builder.redirectInput(input == null
        ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))
        : ProcessBuilder.Redirect.from(input.toFile()));
    return finish(builder, target, deadline, doing);
  }

  /** Starts {@code builder}'s ssh and waits for its status and all of its output. */
  private Result finish(ProcessBuilder builder, SshTarget target, Deadline deadline, String doing)
      throws LaunchException {
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new LaunchException("cannot run " + settings.sshCommand().get(0) + ": "
          + e.getMessage() + ". Fix: install OpenSSH's ssh client, or set RPC_PARALLEL_SSH", e);
    }
    CompletableFuture<String> out = readAll(process.getInputStream());
    CompletableFuture<String> err = readAll(process.getErrorStream());
    int status = waitFor(process, target, deadline, doing);
    try {
      return new Result(status, out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LaunchException("interrupted while " + doing + " on " + target, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new LaunchException("lost the output of ssh while " + doing + " on " + target, e);
    }
  }


  private static int waitFor(Process process, SshTarget target, Deadline deadline, String doing)
      throws LaunchException {
    try {
      if (!process.waitFor(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new LaunchException("ssh to " + target + " timed out while " + doing + " (after "
            + deadline.total().toSeconds() + " s in all). Fix: check the network and the host's "
            + "load, or give the launch more time");
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new LaunchException("interrupted while " + doing + " on " + target, e);
    }
  }

  private static CompletableFuture<String> readAll(InputStream stream) {
    return CompletableFuture.supplyAsync(() -> {
      try (stream) {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /**
   * Lets the master connections this client started end once nobody uses them: {@code ssh -O
   * stop} closes a master's socket, so that it takes no new session, and the master exits when its
   * last session has ended. Other launchers (of this JVM or another: the socket is per user, not
   * per launcher) may still run sessions over it, which {@code -O exit} would cut (status 255),
   * ending their processes; their later launches start a master of their own. So ssh itself counts
   * the users of a connection, across processes, which no count in this JVM could.
   */
  void close() {
    for (SshTarget target : mastersStarted) {
      List<String> command = new ArrayList<>(settings.sshCommand());
      command.addAll(List.of("-o", "ControlPath=" + controlPath(target), "-O", "stop"));
      command.addAll(target.sshArguments());
      try {
        Process process = new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (IOException e) {
        log.debug("could not stop the ssh master connection to {}: {}", target, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    mastersStarted.clear();
  }

  /**
   * The control socket of {@code target}'s master: a hash of the ssh command (so that launchers
   * with other keys or configs never share a master connection) and of the target's arguments,
   * computed here rather than by ssh ({@code %C}), so that the launcher can probe the socket
   * without asking ssh where it is. 40 hex digits, short enough for a socket path.
   */
  private Path controlPath(SshTarget target) {
    String identity = String.join("\0", settings.sshCommand()) + "\0\0" + String.join("\0", target.sshArguments());
    try {
      byte[] hash = MessageDigest.getInstance("SHA-1").digest(identity.getBytes(StandardCharsets.UTF_8));
      return settings.controlDirectory().resolve(HexFormat.of().formatHex(hash));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("This JVM has no SHA-1 MessageDigest, which every Java SE JVM must have", e);
    }
  }

  private void prepareControlDirectory() throws LaunchException {
    Path dir = settings.controlDirectory();
    // A socket path has at most 107 bytes on Linux (103 on macOS); ssh binds the name + 17 first.
    int longest = dir.toString().length() + 1 + 40 + 17;
    if (longest > 103) {
      throw new LaunchException("the ssh control directory " + dir + " is too long for ssh's "
          + "sockets (" + longest + " of at most 103 bytes). Fix: use a shorter directory "
          + "(XDG_RUNTIME_DIR, java.io.tmpdir, or SshSettings.withControlDirectory)");
    }
    Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rwx------");
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir.getParent());
        try {
          Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(owner));
        } catch (java.nio.file.FileAlreadyExistsException raced) {
          // another launch made it: checked below
        }
      }
      Set<PosixFilePermission> actual = Files.getPosixFilePermissions(dir);
      String me = System.getProperty("user.name");
      String ownerName = Files.getOwner(dir).getName();
      if (!actual.equals(owner) || !ownerName.equals(me)) {
        throw new LaunchException("the ssh control directory " + dir + " is "
            + PosixFilePermissions.toString(actual) + " and owned by " + ownerName
            + "; its sockets give access to your ssh sessions. Fix: make it yours with mode 0700 "
            + "(chmod 700), or remove it and let the launcher create it");
      }
    } catch (IOException e) {
      throw new LaunchException("cannot create the ssh control directory " + dir + ": "
          + e.getMessage() + ". Fix: set XDG_RUNTIME_DIR or java.io.tmpdir to a writable directory", e);
    }
  }

  /** A point in time by which a launch must be done. */
  record Deadline(long endNanos, Duration total) {
    static Deadline after(Duration timeout) {
      return new Deadline(System.nanoTime() + timeout.toNanos(), timeout);
    }

    Duration remaining() {
      return Duration.ofNanos(Math.max(1_000_000, endNanos - System.nanoTime()));
    }
  }
}
