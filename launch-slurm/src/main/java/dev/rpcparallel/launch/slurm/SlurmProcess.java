package dev.rpcparallel.launch.slurm;

import dev.rpcparallel.spi.launch.LaunchedProcess;
import dev.rpcparallel.spi.launch.ProcessEnd;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Slurm job run by a local {@code srun}: its streams are srun's (which carries the task's stdin,
 * stdout and stderr, and adds its own messages on stderr); it ends when srun does. At the end,
 * the controller's record of the job tells whether Slurm ended it (time limit, scancel, node
 * failure), which is then the reason, with the job id.
 */
final class SlurmProcess implements LaunchedProcess {
  /** How long scontrol and scancel may take once a job has been taken. */
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
  /** How long the controller may take to record the end of a job srun has seen end. */
  private static final Duration RECORD_WAIT = Duration.ofSeconds(5);
  private static final Executor ENDINGS = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "slurm-job-end");
    thread.setDaemon(true);
    return thread;
  });

  private final SlurmTarget target;
  private final SlurmCommands commands;
  private final Process srun;
  private final String jobName;
  private final long jobId;
  private final CancelOnDeath guard;
  private final AtomicBoolean killed = new AtomicBoolean();
  private volatile String node;
  private final CompletableFuture<ProcessEnd> end;

  SlurmProcess(SlurmTarget target, SlurmCommands commands, Process srun, String jobName, long jobId,
      String node, CancelOnDeath guard) {
    this.target = target;
    this.commands = commands;
    this.srun = srun;
    this.jobName = jobName;
    this.jobId = jobId;
    this.node = node;
    this.guard = guard;
    this.end = srun.onExit().thenApplyAsync(p -> endOf(p.exitValue()), ENDINGS);
  }

  private ProcessEnd endOf(int status) {
    guard.release();
    if (killed.get()) {
      return ProcessEnd.signalled(9);
    }
    Optional<JobRecord> record = record();
    long deadline = System.nanoTime() + RECORD_WAIT.toNanos();
    while (record.isPresent() && !record.get().ended() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100); // the controller records the end a moment after srun sees it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      record = record();
    }
    return record.flatMap(JobRecord::engineReason).map(ProcessEnd::engine)
        .orElseGet(() -> ProcessEnd.fromShellStatus(status));
  }

  private Optional<JobRecord> record() {
    SlurmCommands.Result shown = commands.run("scontrol",
        List.of("show", "job", "-o", Long.toString(jobId)), COMMAND_TIMEOUT);
    return shown.ok() ? JobRecord.parse(jobId, shown.output()) : Optional.empty();
  }

  /** The job's id in Slurm. */
  long jobId() {
    return jobId;
  }

  /** The job's name in Slurm (unique per launch). */
  String jobName() {
    return jobName;
  }

  /** The guard that cancels the job when this JVM dies (for tests). */
  CancelOnDeath guard() {
    return guard;
  }

  @Override
  public String host() {
    if (node.isEmpty()) {
      SlurmCommands.Result nodes = commands.run("squeue",
          List.of("-h", "--states=all", "-j", Long.toString(jobId), "-o", "%N"), COMMAND_TIMEOUT);
      if (nodes.ok() && !nodes.output().isBlank()) {
        node = nodes.output().strip();
      }
    }
    return node;
  }

  @Override
  public String description() {
    return "Slurm job " + jobId + " (" + target + ")";
  }

  @Override
  public OutputStream stdin() {
    return srun.getOutputStream();
  }

  @Override
  public InputStream stdout() {
    return srun.getInputStream();
  }

  @Override
  public InputStream stderr() {
    return srun.getErrorStream();
  }

  @Override
  public CompletableFuture<ProcessEnd> onExit() {
    return end;
  }

  /** Closes stdin (srun passes the end-of-file on); after {@code grace}, {@code scancel}s the job. */
  @Override
  public void stop(Duration grace) {
    try {
      srun.getOutputStream().close();
    } catch (IOException alreadyClosed) {
      // the job is ending anyway
    }
    CompletableFuture.delayedExecutor(grace.toMillis(), TimeUnit.MILLISECONDS, ENDINGS).execute(() -> {
      if (srun.isAlive()) {
        cancel(List.of());
      }
    });
  }

  /** SIGKILL to the job's processes, then cancels the job; srun ends with it. */
  @Override
  public void kill() {
    if (!srun.isAlive()) {
      return;
    }
    killed.set(true);
    ENDINGS.execute(() -> {
      cancel(List.of("--signal=KILL"));
      cancel(List.of());
      try {
        if (!srun.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          srun.destroyForcibly(); // the controller does not answer: at least srun goes
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  private void cancel(List<String> options) {
    List<String> args = new ArrayList<>(options);
    args.add(Long.toString(jobId));
    SlurmCommands.Result result = commands.run("scancel", args, COMMAND_TIMEOUT);
    if (!result.ok()) {
      // The controller is gone or the job has ended: the guard tries once more, by name.
      guard.cancelNow();
    }
  }
}
