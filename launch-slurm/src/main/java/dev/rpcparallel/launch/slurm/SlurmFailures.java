package dev.rpcparallel.launch.slurm;

import dev.rpcparallel.spi.launch.LaunchException;
import java.time.Duration;
import java.util.Locale;

/** Turns what srun printed when Slurm did not take a job into a message naming Slurm, what it said, and the fix. */
final class SlurmFailures {
  private SlurmFailures() {}

  static LaunchException notInstalled(String command, String whereLooked) {
    return new LaunchException("Slurm is not installed here: no " + command + " " + whereLooked
        + ". Fix: install Slurm's client commands (e.g. apt-get install slurm-client) with the "
        + "cluster's slurm.conf, or set RPC_PARALLEL_SLURM_BIN to the directory of srun.");
  }

  static LaunchException refused(SlurmTarget target, int status, String srunSaid) {
    String said = oneLine(srunSaid);
    String lower = said.toLowerCase(Locale.ROOT);
    String what = "Slurm refused the job for " + target;
    String fix;
    if (lower.contains("invalid partition")) {
      fix = "name a partition that exists (sinfo -s lists them), or leave it out for the cluster's default";
    } else if (lower.contains("unable to contact slurm controller") || lower.contains("connection refused")) {
      what = "Slurm's controller is not reachable for " + target;
      fix = "check that slurmctld runs and that SLURM_CONF (or /etc/slurm/slurm.conf) names it; "
          + "scontrol ping tells";
    } else if (lower.contains("configuration source") || lower.contains("slurm.conf")
        || lower.contains("cannot stat file")) {
      what = "Slurm is not configured here for " + target;
      fix = "set SLURM_CONF to the cluster's slurm.conf, or install it as /etc/slurm/slurm.conf";
    } else if (lower.contains("invalid account")) {
      fix = "name an account you may use (sacctmgr show associations user=$USER), or leave account= out";
    } else if (lower.contains("time limit")) {
      fix = "ask for a time within the partition's limit (sinfo -o '%P %l' shows it)";
    } else if (lower.contains("node configuration is not available") || lower.contains("memory specification")
        || lower.contains("more processors") || lower.contains("cpu count")) {
      fix = "ask for no more than a node of the partition has (sinfo -N -l shows CPUs and memory): "
          + "lower cpus= or mem=";
    } else {
      fix = "run the same srun by hand with -v to see more";
    }
    return new LaunchException(what + " (srun exit status " + status + "): srun says: "
        + (said.isEmpty() ? "(nothing)" : said) + ". Fix: " + fix + ".");
  }

  static LaunchException pending(SlurmTarget target, Duration timeout, long jobId, String reason, String srunSaid) {
    String said = oneLine(srunSaid);
    return new LaunchException("Slurm kept job " + jobId + " for " + target + " pending for "
        + timeout.toSeconds() + " s (Reason=" + reason + "), so it was cancelled: srun says: "
        + (said.isEmpty() ? "(nothing)" : said) + ". Fix: "
        + (reason.startsWith("Partition") || reason.equals("BadConstraints")
            ? "ask for no more than a node of the partition has (sinfo -N -l shows CPUs and memory): lower cpus= or mem="
            : "wait for a less busy cluster, or allow the spawn more time")
        + ".");
  }

  static LaunchException timedOut(SlurmTarget target, Duration timeout, String srunSaid) {
    String said = oneLine(srunSaid);
    return new LaunchException("Slurm did not take the job for " + target + " within "
        + timeout.toSeconds() + " s: srun says: "
        + (said.isEmpty() ? "(nothing)" : said) + ". Fix: check that slurmctld answers (scontrol ping) "
        + "and that SLURM_CONF names the cluster, or allow the launch more time.");
  }

  static String oneLine(String text) {
    return text.strip().replaceAll("\\s*\\R\\s*", " | ");
  }
}
