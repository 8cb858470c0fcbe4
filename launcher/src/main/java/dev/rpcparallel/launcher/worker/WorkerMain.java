package dev.rpcparallel.launcher.worker;

import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.launcher.LauncherRuntime;
import dev.rpcparallel.launcher.logging.WorkerLogging;

/**
 * The main class of every spawned worker JVM. Its arguments are only a marker for {@code ps}
 * ({@code rpc-parallel-worker NAME child-of-PID@HOST}); everything else arrives on stdin.
 *
 * <p>It makes the process's runtime itself and hands it to {@link Parallel}, which then looks
 * for none on the class path.
 */
public final class WorkerMain {
    private WorkerMain() {}

    public static void main(String[] args) {
        // First: Log4j reads its context factory once, at the first logger anyone asks for.
        WorkerLogging.configure();
        WorkerLogging.warmUpInBackground();
        Parallel.runAsWorker(new LauncherRuntime());
    }
}
