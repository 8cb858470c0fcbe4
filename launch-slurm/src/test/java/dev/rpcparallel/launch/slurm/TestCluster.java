package dev.rpcparallel.launch.slurm;

import dev.rpcparallel.testbackends.TestSlurm;
import java.nio.file.Path;

/**
 * The Slurm cluster for tests that {@code .ci/slurm.sh start} runs, as the launcher's tests use
 * it: its settings and its commands. Found by {@link TestSlurm}, which skips the tests (one line
 * on stdout says why) without it, except under CI=true, where they fail.
 */
record TestCluster(Path conf, String partition) {

  /** The test cluster, or the calling test class is skipped (or fails under CI). */
  static TestCluster findOrSkip() {
    String forWhat = "the Slurm launcher's tests";
    return new TestCluster(TestSlurm.confOrSkip(forWhat), TestSlurm.defaultPartitionOrSkip(forWhat));
  }

  SlurmSettings settings() {
    return SlurmSettings.fromEnvironment().withSlurmConf(conf);
  }

  /** Runs a Slurm command of the test cluster and returns what it printed. */
  String run(String... command) {
    SlurmCommands.Result result = new SlurmCommands(settings()).run(command[0],
        java.util.List.of(command).subList(1, command.length), java.time.Duration.ofSeconds(30));
    if (!result.ok()) {
      throw new AssertionError(String.join(" ", command) + " failed (" + result.status() + "): " + result.output());
    }
    return result.output();
  }

  /** The jobs named {@code name} that the controller still lists as not ended (squeue's default states). */
  String activeJobsNamed(String name) {
    return run("squeue", "-h", "--name=" + name, "-o", "%i %T");
  }
}
