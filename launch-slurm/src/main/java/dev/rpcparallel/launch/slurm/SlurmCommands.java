package dev.rpcparallel.launch.slurm;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs Slurm's client commands ({@code srun}, {@code squeue}, {@code scancel}, {@code scontrol})
 * as the settings say: from their directory or the PATH, with the settings' {@code SLURM_CONF}.
 * Thread-safe (immutable).
 */
final class SlurmCommands {
  /** What a short command printed (stdout and stderr together), at most this many bytes of it. */
  private static final int MAX_OUTPUT = 16 * 1024;

  /** How a short command ended; {@code status} is -1 when it ran past its time and was killed. */
  record Result(int status, String output) {
    boolean ok() {
      return status == 0;
    }
  }

  private final SlurmSettings settings;

  SlurmCommands(SlurmSettings settings) {
    this.settings = settings;
  }

  /** The path of {@code name} (e.g. {@code srun}), or empty when it is not installed where looked. */
  Optional<Path> find(String name) {
    if (settings.binDirectory().isPresent()) {
      Path path = settings.binDirectory().get().resolve(name);
      return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return Optional.of(Path.of(dir, name));
      }
    }
    return Optional.empty();
  }

  /** Where the settings look for the commands, for messages. */
  String whereLooked() {
    return settings.binDirectory().map(d -> "in " + d + " (RPC_PARALLEL_SLURM_BIN)").orElse("on the PATH");
  }

  /**
   * A process builder for {@code name args...}: the Slurm command as found (or its bare name)
   * and {@link #environmentOf the launcher's environment}.
   */
  ProcessBuilder builder(String name, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(find(name).map(Path::toString).orElse(name));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    environmentOf(builder);
    return builder;
  }

  /**
   * Gives {@code builder} the settings' {@code SLURM_CONF} and removes the variables that would
   * make srun start a step of the allocation this JVM may run in instead of a job of its own.
   */
  ProcessBuilder environmentOf(ProcessBuilder builder) {
    Map<String, String> environment = builder.environment();
    environment.remove("SLURM_JOB_ID");
    environment.remove("SLURM_JOBID");
    settings.slurmConf().ifPresent(conf -> environment.put("SLURM_CONF", conf.toString()));
    return builder;
  }

  /** Runs a short command with no input; kills it after {@code timeout} (status -1 then). */
  Result run(String name, List<String> args, Duration timeout) {
    Process process;
    try {
      process = builder(name, args)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectErrorStream(true)
          .start();
    } catch (IOException e) {
      return new Result(127, "cannot run " + name + ": " + e.getMessage());
    }
    AtomicBoolean timedOut = new AtomicBoolean();
    CompletableFuture<Void> timer = CompletableFuture.runAsync(() -> {
      if (process.isAlive()) {
        timedOut.set(true);
        process.destroyForcibly();
      }
    }, CompletableFuture.delayedExecutor(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS));
    try (InputStream in = process.getInputStream()) {
      byte[] kept = in.readNBytes(MAX_OUTPUT);
      in.transferTo(OutputStream.nullOutputStream());
      int status = process.waitFor();
      return new Result(timedOut.get() ? -1 : status, new String(kept, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      process.destroyForcibly();
      return new Result(-1, "reading the output of " + name + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    } finally {
      timer.cancel(false);
    }
  }
}
