package dev.rpcparallel.launch.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Lines of {@code scontrol show job -o} (22.05) and the end each one reports. */
class JobRecordTest {
  private static final String TIMED_OUT = "JobId=7 JobName=rpc-parallel-d618dc8bc3ac3b64 UserId=root(0) "
      + "GroupId=root(0) MCS_label=N/A Priority=4294901753 Nice=0 Account=(null) QOS=(null) "
      + "JobState=TIMEOUT Reason=TimeLimit Dependency=(null) Requeue=1 Restarts=0 BatchFlag=0 "
      + "Reboot=0 ExitCode=143:0 RunTime=00:00:29 TimeLimit=00:01:00 TimeMin=N/A Partition=rpcp "
      + "NodeList=vm BatchHost=vm NumNodes=1 NumCPUs=1 NumTasks=1 Command=java WorkDir=/tmp Power= ";

  @Test
  void aTimeLimitIsSlurmsEndWithTheJobIdTheNodeAndTheLimit() {
    JobRecord record = JobRecord.parse(7, TIMED_OUT).orElseThrow();
    assertThat(record.ended()).isTrue();
    assertThat(record.engineReason()).contains(
        "Slurm ended job 7 on vm: TIMEOUT, its time limit (00:01:00) ran out (Reason=TimeLimit)");
  }

  @Test
  void aFailedNodeIsNamed() {
    JobRecord record = JobRecord.parse(9, TIMED_OUT.replace("JobState=TIMEOUT Reason=TimeLimit",
        "JobState=NODE_FAIL Reason=NodeDown").replace("NodeList=vm", "NodeList=node7")).orElseThrow();
    assertThat(record.engineReason()).contains(
        "Slurm ended job 9 on node7: NODE_FAIL, its node node7 failed (Reason=NodeDown)");
  }

  @Test
  void aJobThatEndedByItselfOrStillRunsHasNoEngineReason() {
    assertThat(JobRecord.parse(7, TIMED_OUT.replace("JobState=TIMEOUT Reason=TimeLimit",
        "JobState=FAILED Reason=NonZeroExitCode")).orElseThrow().engineReason()).isEmpty();
    JobRecord running = JobRecord.parse(7, TIMED_OUT.replace("JobState=TIMEOUT", "JobState=COMPLETING")).orElseThrow();
    assertThat(running.ended()).isFalse();
    assertThat(JobRecord.parse(7, "slurm_load_jobs error: Invalid job id specified")).isEmpty();
  }
}
