package dev.rpcparallel.launch.slurm;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A job's guard against the death of this JVM: a small shell process in a session of its own
 * ({@code setsid}) that waits for a line on a pipe from this JVM. {@link #release()} writes that
 * line and the guard exits; if this JVM dies first, however it dies (even {@code kill -9}), the
 * kernel closes the pipe, the guard reads end-of-file and runs {@code scancel --name=JOB}, so the
 * job leaves the queue within Slurm's KillWait (at once for a process that ends at SIGTERM).
 *
 * <p>Started before srun, so no job of this launcher is ever unguarded. Thread-safe.
 */
final class CancelOnDeath {
  private static final String SCRIPT = """
      IFS= read -r line
      [ "$line" = released ] && exit 0
      exec "$1" --name="$2"
      """;

  private final Process guard;

  private CancelOnDeath(Process guard) {
    this.guard = guard;
  }

  /** Starts the guard of the job named {@code jobName}. */
  static CancelOnDeath start(SlurmCommands commands, String scancel, String jobName) throws IOException {
    List<String> command = new ArrayList<>(List.of("setsid", "sh", "-c", SCRIPT,
        "rpc-parallel-slurm-guard", scancel, jobName));
    Process guard = commands.environmentOf(new ProcessBuilder(command))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .directory(new File("/"))
        .start();
    return new CancelOnDeath(guard);
  }

  /** The job needs no guard any more (it ended, or this launcher cancelled it): the guard exits. */
  void release() {
    send("released\n");
  }

  /** Lets the guard cancel the job now, as if this JVM had died. */
  void cancelNow() {
    send("");
  }

  private synchronized void send(String line) {
    OutputStream pipe = guard.getOutputStream();
    try (pipe) {
      pipe.write(line.getBytes(StandardCharsets.UTF_8));
    } catch (IOException alreadyGone) {
      // the guard has exited: nothing to tell it
    }
  }

  /** The guard's process (for tests). */
  ProcessHandle process() {
    return guard.toHandle();
  }
}
