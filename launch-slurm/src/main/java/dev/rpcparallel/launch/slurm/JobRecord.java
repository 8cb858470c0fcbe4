package dev.rpcparallel.launch.slurm;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Slurm's controller says about a job ({@code scontrol show job -o ID}): its state, the
 * reason of that state, its time limit and node. Immutable.
 */
record JobRecord(long jobId, String state, String reason, String timeLimit, String nodes) {

  /** States in which the job has not ended yet. */
  private static final Set<String> ACTIVE = Set.of("PENDING", "CONFIGURING", "RUNNING",
      "COMPLETING", "SUSPENDED", "STOPPED", "RESIZING", "REQUEUED", "SIGNALING", "STAGE_OUT");

  /** Parses one line of {@code scontrol show job -o}; empty when it is not one. */
  static Optional<JobRecord> parse(long jobId, String line) {
    String state = field(line, "JobState");
    if (state.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new JobRecord(jobId, state, field(line, "Reason"), field(line, "TimeLimit"),
        field(line, "NodeList")));
  }

  private static String field(String line, String name) {
    Matcher m = Pattern.compile("(?:^|\\s)" + name + "=(\\S*)").matcher(line);
    return m.find() ? m.group(1) : "";
  }

  boolean ended() {
    return !ACTIVE.contains(state);
  }

  /**
   * Why Slurm itself ended the job, when it did (time limit, cancellation, node failure,
   * preemption, memory, deadline); empty when the job's process ended by itself
   * ({@code COMPLETED}, {@code FAILED}).
   */
  Optional<String> engineReason() {
    String why = switch (state) {
      case "TIMEOUT" -> "its time limit (" + timeLimit + ") ran out";
      case "CANCELLED" -> "it was cancelled (scancel, an administrator, or this launcher's stop)";
      case "NODE_FAIL" -> "its node " + nodes + " failed";
      case "PREEMPTED" -> "it was preempted by another job";
      case "OUT_OF_MEMORY" -> "it ran out of its memory";
      case "DEADLINE" -> "its deadline passed";
      case "BOOT_FAIL" -> "its node " + nodes + " failed to boot";
      default -> "";
    };
    if (why.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("Slurm ended job " + jobId + (nodes.isEmpty() || nodes.equals("(null)") ? "" : " on " + nodes)
        + ": " + state + ", " + why + (reason.isEmpty() || reason.equals("None") ? "" : " (Reason=" + reason + ")"));
  }
}
