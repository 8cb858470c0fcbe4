package dev.rpcparallel.launch.slurm;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the {@link SlurmLauncher}. Immutable; change one with the {@code with...} methods.
 * {@link #fromEnvironment()} reads them as a user sets them:
 *
 * <ul>
 *   <li>{@code RPC_PARALLEL_SLURM_BIN}: the directory of Slurm's client commands ({@code srun},
 *       {@code squeue}, {@code scancel}, {@code scontrol}); default: found on the PATH.
 *   <li>{@code SLURM_CONF}: Slurm's own variable, the cluster's configuration file; the commands
 *       read it from the environment as always ({@link #slurmConf()} overrides it).
 * </ul>
 *
 * @param binDirectory where Slurm's commands are; empty for the PATH
 * @param slurmConf a configuration file given to the commands as {@code SLURM_CONF}; empty for
 *     the environment's (or Slurm's default, {@code /etc/slurm/slurm.conf})
 */
public record SlurmSettings(Optional<Path> binDirectory, Optional<Path> slurmConf) {

  public SlurmSettings {
    Objects.requireNonNull(binDirectory, "binDirectory");
    Objects.requireNonNull(slurmConf, "slurmConf");
  }

  /** The settings of this process's environment (see the class comment). */
  public static SlurmSettings fromEnvironment() {
    String bin = System.getenv("RPC_PARALLEL_SLURM_BIN");
    return new SlurmSettings(
        bin == null || bin.isBlank() ? Optional.empty() : Optional.of(Path.of(bin)), Optional.empty());
  }

  public SlurmSettings withBinDirectory(Path directory) {
    return new SlurmSettings(Optional.of(directory), slurmConf);
  }

  public SlurmSettings withSlurmConf(Path conf) {
    return new SlurmSettings(binDirectory, Optional.of(conf));
  }
}
