package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Echo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker handed over by the warm pool finds the code of its endpoint, of a connection and of a
 * call already loaded: counted in a real pooled worker JVM, by its own class-load log
 * ({@code -Xlog:class+load}), from its handover until it has answered its first call and settled.
 */
class WarmPoolFirstCallIT {
    /**
     * What a handed-over worker may still load: what belongs to its type and its spawn (the
     * connection state's and the function's classes, the entry written for {@code ps}), and what
     * runs until the log settles. Measured: 21 on the unix transport, 30 on TCP; a pooled worker
     * that had warmed up with control connections and built-in calls only loaded 132 and 166:
     * the call path's classes and lambdas, the binding of the type's functions, the date
     * formatting of its entry.
     */
    private static final int MAX_CLASSES_AFTER_HANDOVER = 50;
    private static final Duration WARM_UP = Duration.ofSeconds(60);
    /** The class-load log counts as settled when it has not grown for this long. */
    private static final Duration QUIET = Duration.ofSeconds(1);

    private final LauncherRuntime master = new LauncherRuntime();

    @TempDir
    Path logs;

    @AfterEach
    void shutDown() {
        master.shutdownAll();
    }

    @Test
    void handedOverWorkerLoadsFewClassesUntilItHasAnsweredItsFirstCall() {
        SpawnOptions options = SpawnOptions.builder()
                .addJvmOptions("-Xlog:class+load:file=" + logs.resolve("classes-%p.log"))
                .build();
        master.keepWarm(1, options);
        await().atMost(WARM_UP).until(() -> master.warmProcesses().size() == 1 && master.idleLinks().size() == 1);
        long pid = master.warmProcesses().get(0).pid();
        Path log = logs.resolve("classes-" + pid + ".log");
        int idle = settledLineCount(log);
        assertThat(idle).as("classes the idle worker loaded").isGreaterThan(500);

        WorkerRef worker = master.spawn(Echo.TYPE, "first:",
                options.toBuilder().name("first-answer").build());
        try (Connection connection = master.connect(worker, "label")) {
            assertThat(connection.call(Echo.PID, null)).isEqualTo(pid);
            assertThat(master.adoptedLinks()).as("the connect adopted the parked link").isEqualTo(1);
            int settled = settledLineCount(log);
            List<String> loaded = lines(log).subList(idle, settled);
            System.out.println("Classes the handed-over worker loaded until its first answer, settled: " + loaded.size());
            assertThat(loaded).as("classes loaded from the handover until the first answer, settled")
                    .hasSizeLessThanOrEqualTo(MAX_CLASSES_AFTER_HANDOVER);
            assertThat(connection.call(Echo.ECHO, "answer")).isEqualTo("first:answer");
        }
    }

    private static int settledLineCount(Path log) {
        AtomicInteger last = new AtomicInteger(-1);
        AtomicLong changed = new AtomicLong();
        await().atMost(WARM_UP).pollInterval(Duration.ofMillis(100)).until(() -> {
            int now = lines(log).size();
            if (now != last.getAndSet(now)) {
                changed.set(System.nanoTime());
                return false;
            }
            return System.nanoTime() - changed.get() >= QUIET.toNanos();
        });
        return last.get();
    }

    private static List<String> lines(Path log) {
        try {
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
