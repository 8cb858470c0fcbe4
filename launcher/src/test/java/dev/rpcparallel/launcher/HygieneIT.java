package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.fork.ClasspathArgFile;
import dev.rpcparallel.launcher.testplugins.Lifecycle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Rounds of spawn, connect, call, close and shutdown leave no process, socket or thread behind. */
class HygieneIT {
    private static final int WORKERS = 20;
    private static final int ROUNDS = 10;

    /** What the master holds: threads by kind, open sockets, worker processes. */
    private record Holdings(Map<String, Integer> threads, long sockets, int workerProcesses) {
        static Holdings now() throws IOException {
            Map<String, Integer> threads = new TreeMap<>();
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                String kind = kind(thread.getName());
                if (kind != null) {
                    threads.merge(kind, 1, Integer::sum);
                }
            }
            long sockets;
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                sockets = fds.filter(fd -> {
                    try {
                        return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                    } catch (IOException gone) {
                        return false;
                    }
                }).count();
            }
            return new Holdings(threads, sockets, WorkerProcesses.childrenOfThisJvm().size());
        }

        /**
         * The kind of a thread this library may start, or null for threads of others, for the
         * pools that keep idle threads a while on purpose (calls 30 s; stream deliveries and
         * deadline actions a second), and for the single threads that start on demand and end a
         * second after their last use (the inline-call watchdog, the unix connect deadline, the
         * runtime's timer once no worker is watched, the deadline timer): whether one runs at a
         * snapshot says how recent the last call, connect or worker was, not whether anything
         * leaked.
         */
        private static String kind(String name) {
            if (name.startsWith("rpc-parallel-call-") || name.startsWith("rpc-parallel-stream-")
                    || name.equals("rpc-parallel-inline-call-watchdog")
                    || name.equals("rpc-parallel-unix-connect-timeout")
                    || name.equals("rpc-parallel-timer-0") || name.startsWith("rpc-parallel-deadline-")
                    || !name.startsWith("rpc-parallel")) {
                return null;
            }
            int end = name.indexOf('-', "rpc-parallel-".length());
            return end < 0 ? name : name.substring(0, end);
        }
    }

    @Test
    // 220 worker JVMs: 68 s in CI, 231 s on a 2-core machine shared with other builds; above the 5-minute default.
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void twentyWorkersTimesTenRoundsOfSpawnCallAndShutdownLeakNothing() throws Exception {
        ExecutorService spawners = Executors.newFixedThreadPool(WORKERS);
        try {
            round(spawners, 0); // the first round starts what is started once: the master's server, its timer
            Holdings before = awaitSettled();
            for (int round = 1; round <= ROUNDS; round++) {
                round(spawners, round);
            }
            Holdings after = awaitSettled();
            System.out.println("holdings after the first round: " + before + "; after " + ROUNDS + " more: " + after);
            assertThat(after.workerProcesses()).isZero();
            // Each spawn's argfile is gone with its worker: none of this JVM's stays in the temporary directory.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(argfilesOfThisJvm()).isEmpty());
            assertThat(after.sockets()).isLessThanOrEqualTo(before.sockets());
            // No kind of thread grows. One may shrink: a thread of an earlier test class in this JVM
            // (a stream's, say) can still be ending when the first round settles.
            after.threads().forEach((kind, count) -> assertThat(count)
                    .as("%s threads after %d rounds (after the first: %s)", kind, ROUNDS, before.threads())
                    .isLessThanOrEqualTo(before.threads().getOrDefault(kind, 0)));
        } finally {
            spawners.shutdownNow();
        }
    }

    private static List<Path> argfilesOfThisJvm() throws IOException {
        String prefix = ClasspathArgFile.PREFIX + ProcessHandle.current().pid() + "-";
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(file -> file.getFileName().toString().startsWith(prefix)).toList();
        }
    }

    private static Holdings awaitSettled() throws Exception {
        // Exited workers' reader and pump threads end as their streams close: wait for the counts to stop falling.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                Holdings.now().workerProcesses() == 0 && Holdings.now().equals(Holdings.now()));
        return Holdings.now();
    }

    private static void round(ExecutorService spawners, int round) throws Exception {
        List<Future<Long>> workers = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            String name = "round" + round + "-" + i;
            workers.add(spawners.submit(() -> {
                WorkerRef worker = Parallel.spawn(Lifecycle.TYPE, null, SpawnOptions.builder().name(name).build());
                long pid;
                try (Connection connection = Parallel.connect(worker)) {
                    pid = connection.call(Lifecycle.PID, null);
                    assertThat(connection.call(Lifecycle.SLEEP, 1L)).isEqualTo(1L);
                }
                Parallel.shutdown(worker);
                return pid;
            }));
        }
        for (Future<Long> worker : workers) {
            long pid = worker.get(5, TimeUnit.MINUTES);
            ProcessHandle.of(pid).ifPresent(process -> process.onExit().orTimeout(30, TimeUnit.SECONDS).join());
        }
    }
}
