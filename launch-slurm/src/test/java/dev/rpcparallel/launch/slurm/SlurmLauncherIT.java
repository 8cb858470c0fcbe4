package dev.rpcparallel.launch.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.spi.launch.LaunchException;
import dev.rpcparallel.spi.launch.LaunchSpec;
import dev.rpcparallel.spi.launch.ProcessEnd;
import dev.rpcparallel.spi.launch.WorkerLauncher;
import dev.rpcparallel.spi.launch.WorkerLaunchers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real JVMs run as jobs of a real Slurm (.ci/slurm.sh) through the real srun. */
class SlurmLauncherIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Path TEST_CLASSES = Path.of("target", "test-classes").toAbsolutePath();
  private static TestCluster slurm;
  private static SlurmLauncher launcher;
  private static URI partition;

  @BeforeAll
  static void findSlurm() {
    slurm = TestCluster.findOrSkip();
    launcher = new SlurmLauncher(slurm.settings());
    partition = URI.create("slurm://" + slurm.partition());
  }

  private static LaunchSpec job(String marker, String mode, int code) {
    return LaunchSpec.builder(JobMain.class.getName())
        .classPath(List.of(TEST_CLASSES))
        .jvmOptions(List.of("-Xmx32m", "-XX:TieredStopAtLevel=1", "-Xshare:auto"))
        .arguments(List.of(marker, mode, Integer.toString(code)))
        .environment("JOB_MAIN_VALUE", "it's \"quoted\" $HOME")
        .workingDirectory(Path.of("/tmp"))
        .build();
  }

  /** Lines of a stream, read on a thread of their own. */
  static BlockingQueue<String> lines(InputStream stream) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lines.add(line);
        }
      } catch (IOException e) {
        lines.add("read failed: " + e);
      }
    }, "slurm-it-reader");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  static String next(BlockingQueue<String> lines) throws InterruptedException {
    String line = lines.poll(60, TimeUnit.SECONDS);
    assertThat(line).as("a line within 60 s").isNotNull();
    return line;
  }

  /** Starts a job that never reads stdin and waits for its "ready"; returns it. */
  private static SlurmProcess readyJob(URI target, String marker) throws Exception {
    SlurmProcess process = (SlurmProcess) launcher.launch(job(marker, "ignore-stdin", 0), target, TIMEOUT);
    BlockingQueue<String> out = lines(process.stdout());
    lines(process.stderr());
    await().atMost(Duration.ofSeconds(60)).until(() -> out.contains("ready"));
    assertThat(out).contains("job " + process.jobId());
    return process;
  }

  @Test
  void theLauncherIsFoundByItsSchemeAndIsAvailable() {
    WorkerLauncher found = WorkerLaunchers.forTarget(URI.create("slurm:///"), getClass().getClassLoader());
    assertThat(found).isInstanceOf(SlurmLauncher.class);
    assertThat(launcher.availability().isAvailable()).isTrue();
  }

  @Test
  void aJobEchoesStdinToStdoutWritesStderrAndEndsWithItsExitCode() throws Exception {
    String marker = "echo-" + UUID.randomUUID();
    SlurmProcess process = (SlurmProcess) launcher.launch(job(marker, "echo", 3),
        URI.create(partition + "?cpus=1&mem=64M&time=5"), TIMEOUT);
    BlockingQueue<String> out = lines(process.stdout());
    BlockingQueue<String> err = lines(process.stderr());
    String shown = slurm.run("scontrol", "show", "job", "-o", Long.toString(process.jobId()));
    assertThat(shown).contains("JobName=" + process.jobName(), "Partition=" + slurm.partition(),
        "TimeLimit=00:05:00", "MinMemoryNode=64M", "NumCPUs=1");
    String host = next(out);
    assertThat(host).startsWith("host ");
    assertThat(process.host()).isEqualTo(host.substring(5));
    assertThat(next(out)).isEqualTo("job " + process.jobId());
    assertThat(next(out)).isEqualTo("cwd /tmp");
    assertThat(next(out)).isEqualTo("env it's \"quoted\" $HOME");
    assertThat(next(out)).isEqualTo("ready");
    assertThat(next(err)).isEqualTo("stderr of " + marker);
    process.stdin().write("hello there\nsecond\n".getBytes(StandardCharsets.UTF_8));
    process.stdin().flush();
    assertThat(next(out)).isEqualTo("echo hello there");
    assertThat(next(out)).isEqualTo("echo second");
    process.stdin().close();
    assertThat(process.onExit().get(60, TimeUnit.SECONDS)).isEqualTo(ProcessEnd.exited(3));
    assertThat(process.description()).isEqualTo("Slurm job " + process.jobId() + " (" + partition
        + "?cpus=1&mem=64M&time=5)");
    await().atMost(Duration.ofSeconds(5)).until(() -> slurm.activeJobsNamed(process.jobName()).isEmpty());
    assertThat(process.guard().process().isAlive()).as("the guard leaves with the job").isFalse();
  }

  @Test
  void stopClosesStdinThenCancelsAJobThatIgnoresItAndSaysSo() throws Exception {
    SlurmProcess process = readyJob(partition, "stop-" + UUID.randomUUID());
    process.stop(Duration.ofSeconds(1));
    ProcessEnd end = process.onExit().get(60, TimeUnit.SECONDS);
    assertThat(end.kind()).isEqualTo(ProcessEnd.Kind.ENGINE);
    assertThat(end.reason()).startsWith("Slurm ended job " + process.jobId() + " on ")
        .contains(": CANCELLED, it was cancelled");
    await().atMost(Duration.ofSeconds(5)).until(() -> slurm.activeJobsNamed(process.jobName()).isEmpty());
  }

  @Test
  void killEndsTheJobAtOnce() throws Exception {
    SlurmProcess process = readyJob(partition, "kill-" + UUID.randomUUID());
    process.kill();
    assertThat(process.onExit().get(60, TimeUnit.SECONDS)).isEqualTo(ProcessEnd.signalled(9));
    await().atMost(Duration.ofSeconds(5)).until(() -> slurm.activeJobsNamed(process.jobName()).isEmpty());
  }

  @Test
  void aJobCancelledFromOutsideEndsWithSlurmsReasonAndItsJobId() throws Exception {
    SlurmProcess process = readyJob(partition, "scancel-" + UUID.randomUUID());
    slurm.run("scancel", Long.toString(process.jobId()));
    ProcessEnd end = process.onExit().get(60, TimeUnit.SECONDS);
    assertThat(end.kind()).isEqualTo(ProcessEnd.Kind.ENGINE);
    assertThat(end.reason()).isEqualTo("Slurm ended job " + process.jobId() + " on " + process.host()
        + ": CANCELLED, it was cancelled (scancel, an administrator, or this launcher's stop)");
  }

  @Test
  void aJobPastItsTimeLimitIsEndedBySlurmAndReportedWithItsJobId() throws Exception {
    SlurmProcess process = readyJob(URI.create(partition + "?time=1"), "time-" + UUID.randomUUID());
    assertThat(slurm.run("scontrol", "show", "job", "-o", Long.toString(process.jobId())))
        .contains("TimeLimit=00:01:00");
    // The limit is in minutes: instead of waiting one, move the job's end to now. Slurm's own
    // time-limit check (every 30 s) then ends it as it ends any job past its limit.
    slurm.run("scontrol", "update", "JobId=" + process.jobId(), "EndTime=now");
    ProcessEnd end = process.onExit().get(90, TimeUnit.SECONDS);
    assertThat(end.kind()).isEqualTo(ProcessEnd.Kind.ENGINE);
    assertThat(end.reason()).startsWith("Slurm ended job " + process.jobId() + " on " + process.host()
        + ": TIMEOUT, its time limit (").endsWith(") ran out (Reason=TimeLimit)");
    await().atMost(Duration.ofSeconds(5)).until(() -> slurm.activeJobsNamed(process.jobName()).isEmpty());
  }

  @Test
  void anUnknownPartitionIsNamedWithWhatSlurmSaidAndTheFix() {
    URI target = URI.create("slurm://no_such_partition?cpus=1");
    assertThatThrownBy(() -> launcher.launch(job("partition", "echo", 0), target, TIMEOUT))
        .isInstanceOf(LaunchException.class)
        .hasMessageStartingWith("Slurm refused the job for slurm://no_such_partition?cpus=1 (srun exit status 1): srun says: ")
        .hasMessageContaining("Invalid partition name specified")
        .hasMessageEndingWith("Fix: name a partition that exists (sinfo -s lists them), or leave it out for the cluster's default.");
    assertThat(slurm.run("squeue", "-h", "--states=PENDING")).isEmpty();
  }

  @Test
  void aJobSlurmRefusesIsNamedWithWhatSlurmSaidAndTheFix() {
    URI target = URI.create(partition + "?mem=999999G");
    assertThatThrownBy(() -> launcher.launch(job("memory", "echo", 0), target, TIMEOUT))
        .isInstanceOf(LaunchException.class)
        .hasMessageStartingWith("Slurm refused the job for " + target + " (srun exit status 1): srun says: ")
        .hasMessageContaining("Unable to allocate resources: Requested node configuration is not available")
        .hasMessageEndingWith("Fix: ask for no more than a node of the partition has (sinfo -N -l shows CPUs and memory): lower cpus= or mem=.");
    assertThat(slurm.run("squeue", "-h", "--states=PENDING")).isEmpty();
  }

  @Test
  void aJobNoNodeCanRunIsCancelledWithTheReasonWhenTheLaunchTimesOut() {
    URI target = URI.create(partition + "?cpus=512");
    long started = System.nanoTime();
    assertThatThrownBy(() -> launcher.launch(job("cpus", "echo", 0), target, Duration.ofSeconds(3)))
        .isInstanceOf(LaunchException.class)
        .hasMessageMatching("Slurm kept job \\d+ for " + target.toString().replace("?", "\\?")
            + " pending for 3 s \\(Reason=PartitionConfig\\), so it was cancelled: srun says: .*")
        .hasMessageContaining("queued and waiting for resources")
        .hasMessageEndingWith("Fix: ask for no more than a node of the partition has (sinfo -N -l shows CPUs and memory): lower cpus= or mem=.");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    await().atMost(Duration.ofSeconds(5)).until(() -> slurm.run("squeue", "-h", "--states=PENDING").isEmpty());
  }

  @Test
  void anUnreachableControllerIsNamedWithTheFix() throws IOException {
    Path conf = Files.createTempFile(Path.of("target"), "unreachable", ".conf");
    Files.writeString(conf, Files.readString(slurm.conf()).replaceAll("(?m)^SlurmctldPort=.*$", "SlurmctldPort=1"));
    SlurmLauncher own = new SlurmLauncher(slurm.settings().withSlurmConf(conf));
    long started = System.nanoTime();
    assertThatThrownBy(() -> own.launch(job("unreachable", "echo", 0), partition, TIMEOUT))
        .isInstanceOf(LaunchException.class)
        .hasMessageStartingWith("Slurm's controller is not reachable for " + partition)
        .hasMessageContaining("Unable to contact slurm controller")
        .hasMessageContaining("Fix: check that slurmctld runs and that SLURM_CONF");
    // srun itself gives up after about 9 s of retries; the launch adds no second wait.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(25));
  }

  @Test
  void withoutSlurmsCommandsTheLauncherIsUnavailableAndSaysWhy() throws IOException {
    Path empty = Files.createTempDirectory(Path.of("target"), "no-slurm");
    SlurmLauncher none = new SlurmLauncher(slurm.settings().withBinDirectory(empty));
    assertThat(none.availability().isAvailable()).isFalse();
    assertThat(none.availability().reason()).isEqualTo("Slurm is not installed here: no srun, squeue, scancel, scontrol in "
        + empty + " (RPC_PARALLEL_SLURM_BIN). Fix: install Slurm's client commands (e.g. apt-get install slurm-client) "
        + "with the cluster's slurm.conf, or set RPC_PARALLEL_SLURM_BIN to the directory of srun.");
    assertThatThrownBy(() -> none.launch(job("none", "echo", 0), partition, TIMEOUT))
        .isInstanceOf(LaunchException.class)
        .hasMessageStartingWith("Slurm is not installed here: no srun in " + empty);
  }

  @Test
  void killingTheMasterWithSigkillLeavesNoJobAfterFiveSeconds() throws Exception {
    String marker = "master-" + UUID.randomUUID();
    Process master = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-cp", System.getProperty("java.class.path"), MasterMain.class.getName(),
        slurm.conf().toString(), partition.toString(), TEST_CLASSES.toString(), marker)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    try {
      BlockingQueue<String> out = lines(master.getInputStream());
      await().atMost(Duration.ofSeconds(90)).until(() -> out.contains("ready"));
      String jobId = out.stream().filter(l -> l.startsWith("job ")).findFirst().orElseThrow().substring(4);
      assertThat(slurm.run("squeue", "-h", "-j", jobId, "-o", "%T")).isEqualTo("RUNNING");
      new ProcessBuilder("kill", "-9", Long.toString(master.pid())).start().waitFor();
      master.waitFor(10, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
          .until(() -> slurm.run("squeue", "-h", "-j", jobId).isEmpty());
      await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.allProcesses().noneMatch(
          p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false)));
    } finally {
      master.destroyForcibly();
    }
  }
}
