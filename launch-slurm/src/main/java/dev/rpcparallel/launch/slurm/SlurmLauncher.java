package dev.rpcparallel.launch.slurm;

import dev.rpcparallel.spi.launch.Availability;
import dev.rpcparallel.spi.launch.LaunchException;
import dev.rpcparallel.spi.launch.LaunchSpec;
import dev.rpcparallel.spi.launch.LaunchedProcess;
import dev.rpcparallel.spi.launch.WorkerLauncher;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Starts processes as Slurm jobs: {@code slurm://[partition]?cpus=N&mem=SIZE&time=MINUTES&account=A&extra=...}.
 * Each launch is one job of one task, started with the real {@code srun} of the cluster; the
 * class path and the {@code java} of the {@link LaunchSpec} are used as they are, so they must
 * be at the same paths on the nodes (a cluster file system, as on most clusters).
 *
 * <p><b>How.</b> {@code srun --job-name=rpc-parallel-RANDOM --nodes=1 --ntasks=1 --unbuffered --export=ALL}
 * with the target's partition and resources runs the java; srun carries the task's stdin, stdout
 * and stderr (and adds its own messages on stderr). {@link #launch} returns once the controller
 * has taken the job (it runs or waits in the queue), as {@code squeue} shows it, or throws when
 * srun gives up first, with what srun said. The job is its own job even when this JVM runs inside
 * an allocation ({@code SLURM_JOB_ID} is not passed to srun).
 *
 * <p><b>No job outlives this JVM.</b> A {@link CancelOnDeath} guard per job, started before
 * srun, holds a pipe from this JVM and runs {@code scancel} when the pipe closes: when this JVM
 * dies, even by {@code kill -9}, the job is cancelled. A worker also sees end-of-file on its stdin
 * (srun passes it on). {@link LaunchedProcess#stop} closes stdin and {@code scancel}s the job
 * after the grace; {@link LaunchedProcess#kill} sends SIGKILL through {@code scancel} and cancels.
 *
 * <p><b>Ends.</b> When Slurm ends a job (time limit, {@code scancel}, node failure, preemption)
 * its {@link dev.rpcparallel.spi.launch.ProcessEnd} is {@code ENGINE} with the controller's state
 * and the job id, e.g. {@code "Slurm ended job 12 on node1: TIMEOUT, its time limit (00:01:00)
 * ran out"}; otherwise it is the exit status of the task as srun reports it.
 *
 * <p><b>Threading.</b> Thread-safe; launches are independent.
 *
 * <p><b>Failure.</b> A {@link LaunchException} names Slurm, what srun said and the fix: Slurm not
 * installed, not configured or not reachable, an unknown partition, a job Slurm refuses (too many
 * CPUs, too much memory, a bad account or time). A launch that is not taken within its timeout is
 * cancelled. Nothing of a failed launch stays queued or running.
 */
public final class SlurmLauncher implements WorkerLauncher {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final List<String> COMMANDS = List.of("srun", "squeue", "scancel", "scontrol");
  /** How long one squeue of the wait for a job may take (a controller that does not answer). */
  private static final Duration POLL_TIMEOUT = Duration.ofSeconds(2);
  /** How long a Slurm command may take when its answer decides. */
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

  private final SlurmCommands commands;

  /** With the settings of the environment ({@link SlurmSettings#fromEnvironment()}). */
  public SlurmLauncher() {
    this(SlurmSettings.fromEnvironment());
  }

  public SlurmLauncher(SlurmSettings settings) {
    this.commands = new SlurmCommands(settings);
  }

  @Override
  public String scheme() {
    return "slurm";
  }

  /** None: a Slurm URI names a partition, and Slurm chooses the node when the job starts. */
  @Override
  public Optional<String> host(URI target) {
    return Optional.empty();
  }

  @Override
  public Availability availability() {
    List<String> missing = COMMANDS.stream().filter(c -> commands.find(c).isEmpty()).toList();
    if (missing.isEmpty()) {
      return Availability.yes();
    }
    return Availability.no(SlurmFailures.notInstalled(String.join(", ", missing), commands.whereLooked()).getMessage());
  }

  @Override
  public LaunchedProcess launch(LaunchSpec spec, URI target, Duration timeout) throws LaunchException {
    SlurmTarget slurm = SlurmTarget.parse(target);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (String command : COMMANDS) {
      if (commands.find(command).isEmpty()) {
        throw SlurmFailures.notInstalled(command, commands.whereLooked());
      }
    }
    String jobName = "rpc-parallel-" + HexFormat.of().formatHex(randomBytes());
    CancelOnDeath guard;
    try {
      guard = CancelOnDeath.start(commands, commands.find("scancel").orElseThrow().toString(), jobName);
    } catch (IOException e) {
      throw new LaunchException("cannot start the guard of a Slurm job for " + slurm + " (setsid sh): "
          + e.getMessage() + ". Fix: install util-linux's setsid and a POSIX sh", e);
    }
    Process srun;
    try {
      ProcessBuilder builder = commands.builder("srun", srunArguments(spec, slurm, jobName));
      builder.environment().putAll(spec.environment());
      srun = builder.start();
    } catch (IOException e) {
      guard.release();
      throw new LaunchException("cannot run srun for " + slurm + ": " + e.getMessage()
          + ". Fix: install Slurm's client commands, or set RPC_PARALLEL_SLURM_BIN", e);
    }
    return awaitRunning(slurm, srun, jobName, guard, timeout, deadline);
  }

  /**
   * Waits until the job runs (returns it), srun gives up (throws what it said), or the time is out
   * (cancels the job and throws, naming why it was still pending if it was).
   */
  private SlurmProcess awaitRunning(SlurmTarget slurm, Process srun, String jobName, CancelOnDeath guard,
      Duration timeout, long deadline) throws LaunchException {
    long pause = 10;
    boolean answered = true;
    Optional<QueuedJob> job = Optional.empty(); // as last listed
    try {
      while (true) {
        if (srun.waitFor(pause, TimeUnit.MILLISECONDS)) {
          // A job that ran (and ended) in the meantime is the caller's; an srun that gave up
          // without one was refused. (When the controller did not answer squeue either, srun's
          // failure is its last word: no second wait for a controller that is not there.)
          if (answered || srun.exitValue() == 0) {
            Optional<QueuedJob> ran = find(jobName, COMMAND_TIMEOUT).job();
            if (ran.isPresent() && ran.get().hasRun()) {
              return new SlurmProcess(slurm, commands, srun, jobName, ran.get().id(), ran.get().nodes(), guard);
            }
          }
          guard.release();
          throw SlurmFailures.refused(slurm, srun.exitValue(), said(srun));
        }
        long left = deadline - System.nanoTime();
        Listing listing = find(jobName, left > 0 && left < POLL_TIMEOUT.toNanos() ? Duration.ofNanos(left) : POLL_TIMEOUT);
        answered = listing.answered();
        if (listing.job().isPresent()) {
          job = listing.job();
        }
        if (job.isPresent() && job.get().hasRun()) {
          return new SlurmProcess(slurm, commands, srun, jobName, job.get().id(), job.get().nodes(), guard);
        }
        if (left <= 0) {
          srun.toHandle().destroyForcibly(); // not Process.destroyForcibly: it closes srun's stderr
          srun.waitFor(5, TimeUnit.SECONDS);
          commands.run("scancel", List.of("--name=" + jobName), COMMAND_TIMEOUT);
          guard.release();
          throw job.isPresent()
              ? SlurmFailures.pending(slurm, timeout, job.get().id(), job.get().reason(), said(srun))
              : SlurmFailures.timedOut(slurm, timeout, said(srun));
        }
        pause = Math.min(pause * 2, 200);
      }
    } catch (InterruptedException e) {
      srun.destroyForcibly();
      guard.cancelNow();
      Thread.currentThread().interrupt();
      throw new LaunchException("interrupted while waiting for Slurm to run the job for " + slurm
          + "; it was cancelled", e);
    }
  }

  /** A job as squeue lists it. */
  private record QueuedJob(long id, String state, String nodes, String reason) {
    /** It was given a node and started (it may have ended since). */
    boolean hasRun() {
      return !state.equals("PENDING") && !nodes.isEmpty() && !nodes.equals("(null)");
    }
  }

  /** What squeue said about a job: whether the controller answered, and the job if it has it. */
  private record Listing(boolean answered, Optional<QueuedJob> job) {}

  /** The job named {@code jobName}, as squeue lists it within {@code timeout}. */
  private Listing find(String jobName, Duration timeout) {
    SlurmCommands.Result listed = commands.run("squeue",
        List.of("-h", "--states=all", "--name=" + jobName, "-o", "%i|%T|%N|%r"), timeout);
    if (!listed.ok() || listed.output().isBlank()) {
      return new Listing(listed.ok(), Optional.empty());
    }
    String[] fields = listed.output().lines().findFirst().orElseThrow().trim().split("\\|", -1);
    if (fields.length != 4 || !fields[0].matches("\\d+")) {
      return new Listing(true, Optional.empty());
    }
    return new Listing(true, Optional.of(new QueuedJob(Long.parseLong(fields[0]), fields[1], fields[2], fields[3])));
  }

  /** What an ended srun printed on stderr (its own messages, as it never ran the task). */
  private static String said(Process srun) {
    try (InputStream err = srun.getErrorStream()) {
      return new String(err.readNBytes(8192), StandardCharsets.UTF_8).lines()
          .filter(l -> !l.isBlank()).collect(Collectors.joining("\n"));
    } catch (IOException e) {
      return "(stderr unreadable: " + e.getMessage() + ")";
    }
  }

  private static List<String> srunArguments(LaunchSpec spec, SlurmTarget slurm, String jobName) {
    // --export=ALL: the spec's variables reach the task even where SLURM_EXPORT_ENV says otherwise.
    List<String> args = new ArrayList<>(List.of("--job-name=" + jobName, "--nodes=1", "--ntasks=1",
        "--unbuffered", "--export=ALL"));
    args.addAll(slurm.srunOptions());
    spec.workingDirectory().ifPresent(dir -> args.add("--chdir=" + dir));
    args.add("--");
    if (spec.isWholeCommand()) {
      // A whole command runs as it is: like the class path, it must be on a shared file system.
      args.addAll(spec.command());
    } else {
      args.add(spec.javaExecutable());
      args.addAll(spec.jvmOptions());
      if (!spec.classPath().isEmpty()) {
        args.add("-cp");
        args.add(spec.classPath().stream().map(Path::toString).collect(Collectors.joining(":")));
      }
      args.add(spec.mainClass());
    }
    args.addAll(spec.arguments());
    return args;
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
