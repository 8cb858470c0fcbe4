package dev.rpcparallel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the tail's profile ({@code benchmarks/tail-profile}) reads a trace and the scheduler's switches back. */
class TailAttributionTest {
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    /**
     * 200 calls of 10 µs, one every 100 µs, by caller thread 11 of the harness (process 10); the
     * child (process 20) answers each on thread 21. During the last two calls, made 50 µs long,
     * another process's thread (31, {@code noise}) held processor 1 for 40 µs of each, and the
     * harness's compiler thread (12) processor 0 for 20 µs of the very last.
     */
    @Test
    void countsWhatHeldEachProcessorDuringTheSlowestCallsBesideTheUsualOnes() throws IOException {
        List<String> trace = new ArrayList<>(List.of("harness 10 11", "thread 12 C2 CompilerThread0",
                "thread 21 rpc-parallel-read-unix-unix:///tmp/sockets/1.sock", "contender 20 rpc-parallel (unix)"));
        List<String> sched = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long start = 5 * SECOND + i * 100_000L;
            boolean slow = i >= 198;
            long length = slow ? 50_000 : 10_000;
            trace.add(start + " " + length);
            sched.add(switchLine(10, 11, 0, start, "java", 11));
            sched.add(switchLine(20, 21, 1, start + 2_000, "rpc-parallel-re", 21));
            if (slow) {
                sched.add(switchLine(20, 21, 1, start + 5_000, "noise", 31));
                sched.add(switchLine(30, 31, 1, start + 45_000, "rpc-parallel-re", 21));
            }
            if (i == 199) {
                sched.add(switchLine(10, 11, 0, start + 20_000, "C2 CompilerThre", 12));
                sched.add(switchLine(10, 12, 0, start + 40_000, "java", 11));
            }
            sched.add(switchLine(20, 21, 1, start + length - 1_000, "swapper/1", 0));
            sched.add(switchLine(10, 11, 0, start + length + 1_000, "swapper/0", 0));
        }
        sched.sort((a, b) -> Long.compare(TailAttribution.Timeline.nanos(a.trim().split(" +")[2].replace(":", "")),
                TailAttribution.Timeline.nanos(b.trim().split(" +")[2].replace(":", ""))));
        sched.add("LOST 3 events!"); // as perf script --show-lost-events says it
        Files.write(dir.resolve("calls.txt"), trace);
        Files.write(dir.resolve("sched.txt"), sched);

        TailAttribution.Trace read = TailAttribution.Trace.read(dir.resolve("calls.txt"));
        TailAttribution.Timeline timeline = TailAttribution.Timeline.read(dir.resolve("sched.txt"));
        assertThat(timeline.lostLines()).isEqualTo(1);
        TailAttribution profile = new TailAttribution(read, timeline);
        TailAttribution.Contender contender = read.contenders().get(0);
        assertThat(contender.name()).isEqualTo("rpc-parallel (unix)");
        assertThat(contender.lengths()).hasSize(200);

        Map<String, Double> slowest = profile.perCall(contender, List.of(198, 199));
        assertThat(slowest.get("another process: noise")).isCloseTo(40.0, within(0.01));
        assertThat(slowest.get("the harness JVM: C2 CompilerThread")).isCloseTo(10.0, within(0.01));
        // The child's reader, named by its Java name without the address: 2-5 µs, then 45-49 µs.
        assertThat(slowest.get("its child: rpc-parallel-read-unix")).isCloseTo(7.0, within(0.01));
        assertThat(slowest).doesNotContainKey("the harness JVM: java"); // the caller itself

        Map<String, Double> usual = profile.perCall(contender, List.of(100, 101));
        assertThat(usual).containsOnlyKeys("its child: rpc-parallel-read-unix", "idle processor");
        assertThat(usual.get("its child: rpc-parallel-read-unix")).isCloseTo(7.0, within(0.01));
    }

    private static String switchLine(long pid, long tid, int cpu, long nanos, String nextComm, long nextTid) {
        return String.format("%7d/%-7d [%03d] %d.%09d: prev_comm=x prev_pid=%d prev_prio=120 prev_state=S"
                + " ==> next_comm=%s next_pid=%d next_prio=120", pid, tid, cpu, nanos / SECOND, nanos % SECOND,
                tid, nextComm, nextTid);
    }
}
