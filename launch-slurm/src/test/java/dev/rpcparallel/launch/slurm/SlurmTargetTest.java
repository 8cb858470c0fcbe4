package dev.rpcparallel.launch.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlurmTargetTest {

  @Test
  void theDefaultPartitionAndNoResources() {
    for (String uri : List.of("slurm:///", "slurm:/", "SLURM:///")) {
      SlurmTarget target = SlurmTarget.parse(URI.create(uri));
      assertThat(target.srunOptions()).as(uri).isEmpty();
      assertThat(target).hasToString("slurm://");
    }
  }

  @Test
  void aPartitionAndEveryResourceBecomeSrunOptions() {
    SlurmTarget target = SlurmTarget.parse(URI.create(
        "slurm://gpu_long?cpus=4&mem=8G&time=1-12&account=phys&extra=--qos%3Dhigh%20--constraint=ib"));
    assertThat(target.srunOptions()).containsExactly("--partition=gpu_long", "--cpus-per-task=4",
        "--mem=8G", "--time=1-12", "--account=phys", "--qos=high", "--constraint=ib");
    assertThat(target).hasToString("slurm://gpu_long?cpus=4&mem=8G&time=1-12&account=phys&extra=--qos=high --constraint=ib");
  }

  @Test
  void badParametersAreNamedWithWhatIsExpected() {
    assertThatThrownBy(() -> SlurmTarget.parse(URI.create("slurm://p?cpu=2")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Slurm target slurm://p?cpu=2: unknown parameter 'cpu'; known: cpus, mem, time, account, extra");
    assertThatThrownBy(() -> SlurmTarget.parse(URI.create("slurm://p?cpus=0")))
        .hasMessage("Slurm target slurm://p?cpus=0: cpus='0' is not a positive number of CPUs");
    assertThatThrownBy(() -> SlurmTarget.parse(URI.create("slurm://p?mem=lots")))
        .hasMessage("Slurm target slurm://p?mem=lots: mem='lots' is not a size such as 512M or 4G");
    assertThatThrownBy(() -> SlurmTarget.parse(URI.create("slurm://p?time=soon")))
        .hasMessageContaining("time='soon' is not minutes, or Slurm's MM:SS");
    assertThatThrownBy(() -> SlurmTarget.parse(URI.create("slurm://p?extra=qos")))
        .hasMessageContaining("each extra word must be an srun option starting with '-'");
    assertThatThrownBy(() -> SlurmTarget.parse(URI.create("slurm://p/path")))
        .hasMessageContaining("write slurm://[partition]?cpus=N");
    assertThatThrownBy(() -> SlurmTarget.parse(URI.create("ssh://p")))
        .hasMessage("not a slurm:// target: ssh://p");
  }
}
