package dev.rpcparallel.launch.ssh;

import dev.rpcparallel.launch.ssh.SshClient.Deadline;
import dev.rpcparallel.spi.launch.LaunchException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one ssh session of a launch, running {@link RemoteScripts#LAUNCH}: first it reports the
 * remote java and class path ({@link #awaitReport}), then it waits until the launcher says
 * {@link #go()} (the command runs, and the session's streams become the command's) or
 * {@link #abort()}. Used by one thread at a time.
 */
final class LaunchSession {
  private final SshTarget target;
  private final Process client;

  private LaunchSession(SshTarget target, Process client) {
    this.target = target;
    this.client = client;
  }

  /** Starts ssh with {@code remoteCommand} (a {@link RemoteScripts#LAUNCH} command line). */
  static LaunchSession start(SshClient ssh, SshTarget target, String remoteCommand, String sshProgram)
      throws LaunchException {
    try {
      return new LaunchSession(target, new ProcessBuilder(ssh.command(target, remoteCommand)).start());
    } catch (IOException e) {
      throw new LaunchException("cannot run " + sshProgram + " for " + target + ": " + e.getMessage()
          + ". Fix: install OpenSSH's ssh client, or set RPC_PARALLEL_SSH", e);
    }
  }

  /**
   * What the script reported before it waits for the go.
   *
   * @param probe the report's lines
   * @param awaitingGo whether the script waits for the go; if not, the session has ended
   * @param status the ssh client's exit status once the session has ended (else -1)
   * @param stderr what the session wrote on stderr once it has ended (else empty)
   */
  record Report(RemoteProbe probe, boolean awaitingGo, int status, String stderr) {}

  /**
   * Reads the script's report up to its last line, {@link RemoteScripts#AWAIT_GO}, or up to the
   * end of the session (ssh failed, or the script stopped: then with its status and stderr).
   *
   * @throws LaunchException when the deadline passes first (the session is then ended)
   */
  Report awaitReport(Deadline deadline) throws LaunchException {
    CompletableFuture<List<String>> lines = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try {
        lines.complete(readReport(client.getInputStream()));
      } catch (IOException | RuntimeException e) {
        lines.completeExceptionally(e);
      }
    }, "ssh-launch-report " + target);
    reader.setDaemon(true);
    reader.start();
    List<String> report;
    try {
      report = lines.get(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      client.destroyForcibly();
      throw new LaunchException("ssh to " + target + " timed out while checking java and the class path"
          + " (after " + deadline.total().toSeconds() + " s in all). Fix: check the network and the"
          + " host's load, or give the launch more time");
    } catch (InterruptedException e) {
      client.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new LaunchException("interrupted while checking java and the class path on " + target, e);
    } catch (ExecutionException e) {
      client.destroyForcibly();
      throw new LaunchException("lost the output of ssh while checking java and the class path on "
          + target + ": " + e.getCause(), e.getCause());
    }
    boolean awaiting = !report.isEmpty() && report.get(report.size() - 1).equals(RemoteScripts.AWAIT_GO);
    RemoteProbe probe = RemoteProbe.parse(String.join("\n", report));
    if (awaiting) {
      return new Report(probe, true, -1, "");
    }
    int status = awaitEnd(deadline);
    return new Report(probe, false, status, readRest(client.getErrorStream()));
  }

  /** The script's lines up to {@link RemoteScripts#AWAIT_GO} (included) or the end; reads nothing past it. */
  private static List<String> readReport(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0; b = in.read()) {
      if (b != '\n') {
        line.write(b);
        continue;
      }
      String text = line.toString(StandardCharsets.UTF_8);
      line.reset();
      lines.add(text);
      if (text.equals(RemoteScripts.AWAIT_GO)) {
        return lines;
      }
    }
    if (line.size() > 0) {
      lines.add(line.toString(StandardCharsets.UTF_8));
    }
    return lines;
  }

  private int awaitEnd(Deadline deadline) throws LaunchException {
    try {
      if (!client.waitFor(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS)) {
        client.destroyForcibly();
        throw new LaunchException("ssh to " + target + " did not end after its launch script did (after "
            + deadline.total().toSeconds() + " s in all). Fix: check the network and the host's load");
      }
      return client.exitValue();
    } catch (InterruptedException e) {
      client.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new LaunchException("interrupted while checking java and the class path on " + target, e);
    }
  }

  private static String readRest(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Lets the script run the command: from now on the session's streams are the command's. */
  void go() throws LaunchException {
    try {
      OutputStream stdin = client.getOutputStream();
      stdin.write("go\n".getBytes(StandardCharsets.US_ASCII));
      stdin.flush();
    } catch (IOException e) {
      abort();
      throw new LaunchException("the ssh session to " + target + " ended before its command started: "
          + e.getMessage() + ". Fix: check the network and the host's sshd", e);
    }
  }

  /**
   * Ends the session without running the command: end-of-file on its stdin ends the waiting
   * script; the ssh client is killed if it has not exited within a few seconds.
   */
  void abort() {
    try {
      client.getOutputStream().close();
    } catch (IOException alreadyClosed) {
      // the session has ended
    }
    try {
      if (!client.waitFor(5, TimeUnit.SECONDS)) {
        client.destroyForcibly();
      }
    } catch (InterruptedException e) {
      client.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** The local ssh client carrying the session. */
  Process client() {
    return client;
  }
}
