package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Kinds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How a connection's reading thread waits for its next frame: called in a loop, the master's
 * reading thread of the connection picks up each answer without sleeping in the kernel (it watches
 * its socket for a short while first). That an idle connection's threads use no processor:
 * {@code LoneCallerWaitIT}; when the watch turns itself off: {@code ReadingWatchTest}.
 */
class ReadingWatchIT {
    /** The kernel's name of a thread is its Java name's first 15 characters. */
    private static final String READING_THREAD = "rpc-parallel-re";

    private static WorkerRef worker;

    @BeforeAll
    static void spawn() {
        worker = Parallel.spawn(Kinds.TYPE, null, SpawnOptions.builder().name("reading-watch").build());
    }

    @AfterAll
    static void shutDown() {
        Parallel.shutdownWorkers();
    }

    @Test
    void aReadingThreadReadsQuickAnswersWithoutSleeping() {
        int calls = 1_000;
        try (Connection connection = Parallel.connect(worker)) {
            for (int i = 0; i < 5_000; i++) {
                connection.call(Kinds.PING, "warm-up");
            }
            // Sleeping for each answer costs the reading thread a voluntary switch per call; a run
            // of calls on a machine that is not overloaded for its length costs far fewer.
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                long before = voluntarySwitchesOfReadingThreads();
                for (int i = 0; i < calls; i++) {
                    String arg = "call " + i;
                    assertThat(connection.call(Kinds.PING, arg)).isEqualTo(arg);
                }
                double perCall = (voluntarySwitchesOfReadingThreads() - before) / (double) calls;
                assertThat(perCall).as("the reading threads' voluntary context switches per call").isLessThan(0.3);
            });
        }
    }

    /** The voluntary context switches of this JVM's reading threads, summed. */
    private static long voluntarySwitchesOfReadingThreads() throws IOException {
        long sum = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                String name;
                List<String> status;
                try {
                    name = Files.readString(task.resolve("comm")).trim();
                    status = Files.readAllLines(task.resolve("status"));
                } catch (IOException gone) {
                    continue; // a thread that ended meanwhile
                }
                if (!name.startsWith(READING_THREAD)) {
                    continue;
                }
                for (String line : status) {
                    if (line.startsWith("voluntary_ctxt_switches:")) {
                        sum += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                    }
                }
            }
        }
        return sum;
    }
}
