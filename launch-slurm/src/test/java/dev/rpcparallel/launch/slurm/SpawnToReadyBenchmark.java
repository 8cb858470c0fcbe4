package dev.rpcparallel.launch.slurm;

import dev.rpcparallel.spi.launch.LaunchSpec;
import dev.rpcparallel.spi.launch.LaunchedProcess;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Start to "ready" of the same small JVM ({@link JobMain}) as a Slurm job through the launcher
 * and as a local child process ({@link ProcessBuilder}, what a local cold spawn starts), in one
 * run, alternating, after one warm-up of each. Prints the median and the range of each.
 *
 * <p>Run with the test cluster's variables set ({@code eval "$(.ci/slurm.sh env)"}), from
 * {@code launch-slurm}: {@code java -cp target/test-classes:target/classes:SPI_AND_API_JARS
 * dev.rpcparallel.launch.slurm.SpawnToReadyBenchmark [rounds]}.
 */
public final class SpawnToReadyBenchmark {
  private SpawnToReadyBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    Path conf = Path.of(System.getenv("RPC_PARALLEL_TEST_SLURM_CONF"));
    URI target = URI.create("slurm://" + System.getenv("RPC_PARALLEL_TEST_SLURM_PARTITION"));
    Path classes = Path.of("target", "test-classes").toAbsolutePath();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> jvm = List.of("-Xmx32m", "-XX:TieredStopAtLevel=1", "-Xshare:auto");
    SlurmLauncher launcher = new SlurmLauncher(SlurmSettings.fromEnvironment().withSlurmConf(conf));
    List<Double> slurm = new ArrayList<>();
    List<Double> local = new ArrayList<>();
    for (int round = -1; round < rounds; round++) {
      LaunchSpec spec = LaunchSpec.builder(JobMain.class.getName()).javaExecutable(java)
          .jvmOptions(jvm).classPath(List.of(classes))
          .arguments(List.of("bench-" + round, "echo", "0")).build();
      long start = System.nanoTime();
      LaunchedProcess job = launcher.launch(spec, target, Duration.ofSeconds(60));
      awaitReady(job.stdout());
      double slurmMs = (System.nanoTime() - start) / 1e6;
      job.stdin().close();
      job.onExit().get(60, TimeUnit.SECONDS);

      List<String> command = new ArrayList<>(List.of(java));
      command.addAll(jvm);
      command.addAll(List.of("-cp", classes.toString(), JobMain.class.getName(), "bench-" + round, "echo", "0"));
      start = System.nanoTime();
      Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      awaitReady(child.getInputStream());
      double localMs = (System.nanoTime() - start) / 1e6;
      child.getOutputStream().close();
      child.waitFor(60, TimeUnit.SECONDS);
      if (round >= 0) {
        slurm.add(slurmMs);
        local.add(localMs);
      }
    }
    System.out.println("| start to ready of one JVM (" + rounds + " rounds, alternating) | median ms | min–max ms |");
    System.out.println("| --- | --- | --- |");
    System.out.println(row("local child process (ProcessBuilder)", local));
    System.out.println(row("Slurm job (slurm://, srun)", slurm));
    System.out.printf(Locale.ROOT, "Slurm minus local (medians): %+.0f ms%n", median(slurm) - median(local));
  }

  private static void awaitReady(InputStream out) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.equals("ready")) {
        return;
      }
    }
    throw new IllegalStateException("the JVM ended before it was ready");
  }

  private static String row(String name, List<Double> ms) {
    return String.format(Locale.ROOT, "| %s | %.0f | %.0f–%.0f |", name, median(ms),
        Collections.min(ms), Collections.max(ms));
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
