package dev.rpcparallel.launch.slurm;

import dev.rpcparallel.spi.launch.LaunchSpec;
import dev.rpcparallel.spi.launch.LaunchedProcess;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A master JVM for the test of its death: launches {@link JobMain} (ignoring stdin) as a Slurm
 * job, prints "job ID", and waits to be killed. Args: slurm-conf target-uri test-classes marker.
 */
public final class MasterMain {
  private MasterMain() {}

  public static void main(String[] args) throws Exception {
    SlurmLauncher launcher = new SlurmLauncher(SlurmSettings.fromEnvironment().withSlurmConf(Path.of(args[0])));
    LaunchSpec spec = LaunchSpec.builder(JobMain.class.getName())
        .classPath(List.of(Path.of(args[2])))
        .jvmOptions(List.of("-Xmx32m", "-XX:TieredStopAtLevel=1"))
        .arguments(List.of(args[3], "ignore-stdin", "0"))
        .build();
    LaunchedProcess process = launcher.launch(spec, URI.create(args[1]), Duration.ofSeconds(60));
    process.stdout().transferTo(System.out); // until killed
  }
}
