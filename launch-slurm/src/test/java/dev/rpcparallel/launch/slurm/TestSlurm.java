package dev.rpcparallel.launch.slurm;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;

/**
 * The Slurm cluster for tests that {@code .ci/slurm.sh start} runs (its {@code env} prints the
 * variables read here). Without it the tests are skipped (one line on stdout says why), except
 * under CI=true, where they fail.
 */
record TestSlurm(Path conf, String partition) {

  /** The test cluster, or null (after one line saying why) when there is none and CI is not true. */
  static TestSlurm findOrExplain() {
    String conf = System.getenv("RPC_PARALLEL_TEST_SLURM_CONF");
    if (conf == null || conf.isBlank()) {
      String why = System.getenv().getOrDefault("RPC_PARALLEL_TEST_SLURM_UNAVAILABLE",
          "RPC_PARALLEL_TEST_SLURM_CONF is not set (run: .ci/slurm.sh start && eval \"$(.ci/slurm.sh env)\")");
      String line = "no Slurm for the Slurm launcher's tests: " + why;
      if ("true".equals(System.getenv("CI"))) {
        fail(line + " (CI=true: these tests must run in CI)");
      }
      System.out.println("SKIPPED " + line);
      return null;
    }
    return new TestSlurm(Path.of(conf), System.getenv("RPC_PARALLEL_TEST_SLURM_PARTITION"));
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
