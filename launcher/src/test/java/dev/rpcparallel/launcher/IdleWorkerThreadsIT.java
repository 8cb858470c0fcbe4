package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Echo;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * An idle worker keeps only the threads that have something to wait for (its lifeline, its
 * timer, its listener, a reader per connection): the inline-call watchdog and the unix
 * transport's connect-deadline thread end when there is nothing to watch, and start again when
 * there is. Counted from outside, in the kernel's list of the worker's threads
 * ({@code /proc/PID/task}), so that looking does not itself run a call.
 */
@EnabledOnOs(OS.LINUX)
class IdleWorkerThreadsIT {
    /** Thread names as the kernel keeps them: their first 15 characters. */
    private static final String WATCHDOG = comm("rpc-parallel-inline-call-watchdog");
    private static final String CONNECT_DEADLINE = comm("rpc-parallel-unix-connect-timeout");
    private static final String READER = comm("rpc-parallel-read-");
    /** Lifeline, timer, listener, the reader of the link to the master, the reader of this test's connection. */
    private static final int IDLE_THREADS = 5;

    @AfterAll
    static void shutDown() {
        Parallel.shutdownWorkers();
    }

    @Test
    void anIdleWorkerEndsTheThreadsThatOnlyWaitAndStillAnswersAfterwards() throws Exception {
        WorkerRef worker = Parallel.spawn(Echo.TYPE, "idle: ");
        try (Connection connection = Parallel.connect(worker, Echo.TYPE, "first")) {
            long pid = connection.call(Echo.PID, null);
            // A call that runs inline (the watchdog starts) and a connection-state init.
            assertThat(connection.call(Echo.CONNECTION_LABEL, null)).isEqualTo("first");

            List<String> idle = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> rpcParallelThreads(pid),
                            threads -> !threads.contains(WATCHDOG) && !threads.contains(CONNECT_DEADLINE)
                                    && threads.size() <= IDLE_THREADS);
            assertThat(idle).as("the rpc-parallel threads of the idle worker %s", pid)
                    .contains(comm("rpc-parallel-lifeline"), comm("rpc-parallel-timer-0"))
                    .filteredOn(READER::equals).hasSize(2);

            // Threads that ended are started again when needed: an inline call, a new connection.
            assertThat(connection.call(Echo.ECHO, "again")).isEqualTo("idle: again");
            try (Connection second = Parallel.connect(worker, Echo.TYPE, "second")) {
                assertThat(second.call(Echo.CONNECTION_LABEL, null)).isEqualTo("second");
            }
        }
    }

    /** The names of the process's threads that start with {@code rpc-parallel-}, as the kernel keeps them. */
    private static List<String> rpcParallelThreads(long pid) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String name;
                try {
                    name = Files.readString(task.resolve("comm")).strip();
                } catch (IOException e) {
                    continue; // the thread ended
                }
                if (name.startsWith("rpc-parallel-")) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static String comm(String threadName) {
        return threadName.substring(0, Math.min(15, threadName.length()));
    }
}
