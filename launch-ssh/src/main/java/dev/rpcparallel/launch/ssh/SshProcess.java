package dev.rpcparallel.launch.ssh;

import dev.rpcparallel.spi.launch.LaunchedProcess;
import dev.rpcparallel.spi.launch.ProcessEnd;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A process on a remote host, run by {@link RemoteScripts#LAUNCH} in an ssh session whose local
 * client is {@code client}. Its end is the client's: exit status 255 is ssh's own failure (a lost
 * connection), 129..192 a death by signal, anything else the process's exit code.
 */
final class SshProcess implements LaunchedProcess {
  private static final Logger log = LogManager.getLogger(SshProcess.class);

  private final SshTarget target;
  private final SshClient ssh;
  private final Process client;
  private final String runId;
  private final int copied;
  private final AtomicBoolean killed = new AtomicBoolean();
  private final CompletableFuture<ProcessEnd> end;

  SshProcess(SshTarget target, SshClient ssh, Process client, String runId, int copied) {
    this.target = target;
    this.ssh = ssh;
    this.client = client;
    this.runId = runId;
    this.copied = copied;
    this.end = client.onExit().thenApply(p -> endOf(p.exitValue()));
  }

  private ProcessEnd endOf(int status) {
    if (killed.get()) {
      return ProcessEnd.signalled(9);
    }
    if (status == 255) {
      return ProcessEnd.engine("ssh to " + target + " ended with status 255: the connection was "
          + "lost, or the remote process exited with 255");
    }
    return ProcessEnd.fromShellStatus(status);
  }

  @Override
  public String host() {
    return target.host();
  }

  @Override
  public String description() {
    return target + " run " + runId;
  }

  /** The marker of this launch in the remote command line and run directory. */
  String runId() {
    return runId;
  }

  /** How many class-path entries this launch copied into the remote cache. */
  int copiedEntries() {
    return copied;
  }

  /** The local ssh client that carries the session (for tests of a dying client). */
  ProcessHandle sshClient() {
    return client.toHandle();
  }

  @Override
  public OutputStream stdin() {
    return client.getOutputStream();
  }

  @Override
  public InputStream stdout() {
    return client.getInputStream();
  }

  @Override
  public InputStream stderr() {
    return client.getErrorStream();
  }

  @Override
  public CompletableFuture<ProcessEnd> onExit() {
    return end;
  }

  @Override
  public void stop(Duration grace) {
    try {
      client.getOutputStream().close();
    } catch (IOException alreadyClosed) {
      // the session is ending anyway
    }
    CompletableFuture.delayedExecutor(grace.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
      if (client.isAlive()) {
        remote(RemoteScripts.TERMINATE, "stop");
      }
    });
  }

  @Override
  public void kill() {
    if (!client.isAlive()) {
      return;
    }
    killed.set(true);
    CompletableFuture.runAsync(() -> {
      remote(RemoteScripts.KILL, "kill");
      client.destroyForcibly();
    });
  }

  /** Runs one of the run-directory scripts over the master connection, bounded in time. */
  private void remote(String script, String name) {
    try {
      Process process = new ProcessBuilder(ssh.command(target,
          RemoteScripts.command(script, "rpc-parallel-" + name, List.of(runId))))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      log.warn("could not {} {} on {}: {}", name, runId, target, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
