package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * A whole job (a master in its own JVM and its workers) stopped at once, as Ctrl-Z does, for
 * longer than the heartbeat timeout and then resumed, carries on: each process sees that it was
 * paused itself and waits for fresh heartbeats before it judges its peers.
 */
class PausedJobIT {
    private static final Map<String, String> SHORT_HEARTBEATS =
            Map.of("RPC_PARALLEL_SETTINGS", "heartbeatInterval=250ms,heartbeatTimeout=2500ms");
    /** Twice the heartbeat timeout. */
    private static final Duration PAUSE = Duration.ofSeconds(5);

    @Test
    void aWholeJobStoppedLongerThanTheHeartbeatTimeoutCarriesOnWhenResumed() throws Exception {
        try (MasterProcess master = MasterProcess.start(LivenessTestMaster.class, SHORT_HEARTBEATS, "job", "2")) {
            List<Long> workers = new ArrayList<>();
            for (String line : master.awaitReady(120)) {
                workers.add(Long.parseLong(line.substring("WORKER ".length())));
            }
            assertThat(workers).hasSize(2);
            String answered = "ANSWERED " + workers.stream().map(String::valueOf).collect(Collectors.joining(","));
            assertThat(call(master)).isEqualTo(answered);

            long[] job = LongStream.concat(LongStream.of(master.process().pid()), workers.stream().mapToLong(Long::longValue))
                    .toArray();
            Signals.send("STOP", job);
            await().during(PAUSE).atMost(PAUSE.plusSeconds(5))
                    .until(() -> LongStream.of(job).allMatch(Signals::isStopped));
            Signals.send("CONT", job);

            assertThat(call(master)).as("calls right after the resume").isEqualTo(answered);
            // A full heartbeat timeout later, nobody has given anybody up.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> workers.stream().allMatch(pid -> ProcessHandle.of(pid).map(MasterProcess::isRunning).orElse(false)));
            assertThat(call(master)).as("calls a heartbeat timeout after the resume").isEqualTo(answered);
        }
    }

    /** Asks the master to call every worker; its answer, skipping nothing: a LOST line fails the test. */
    private static String call(MasterProcess master) throws Exception {
        OutputStream commands = master.process().getOutputStream();
        commands.write("call\n".getBytes(StandardCharsets.UTF_8));
        commands.flush();
        return master.nextLine(60);
    }
}
