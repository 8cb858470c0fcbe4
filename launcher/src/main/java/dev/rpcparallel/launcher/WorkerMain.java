package dev.rpcparallel.launcher;

import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.launcher.logging.WorkerLogging;
import dev.rpcparallel.launcher.registry.BackgroundRegistry;
import dev.rpcparallel.launcher.registry.PluginRegistry;
import java.util.concurrent.CompletableFuture;

/**
 * The main class of every spawned worker JVM. Its arguments are only a marker for {@code ps}
 * ({@code rpc-parallel-worker NAME child-of-PID@HOST}); everything else arrives on stdin.
 */
public final class WorkerMain {
    /** The plugin registry being loaded since the worker's start, until the runtime takes it. */
    private static volatile CompletableFuture<PluginRegistry> registryLoading;
    private static volatile ClassLoader registryLoader;

    private WorkerMain() {}

    public static void main(String[] args) {
        // First: Log4j reads its context factory once, at the first logger anyone asks for.
        WorkerLogging.configure();
        WorkerLogging.warmUpInBackground();
        // The registry depends only on the class path: scan it while the runtime starts and the
        // bootstrap is read (a 2-core machine runs both at once).
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = WorkerMain.class.getClassLoader();
        }
        registryLoader = loader;
        registryLoading = BackgroundRegistry.start(loader);
        Parallel.runAsWorker();
    }

    /**
     * The registry loading started at this worker's start if it was for {@code loader}, once
     * (later callers get {@code null}); {@code null} in a master.
     */
    static synchronized CompletableFuture<PluginRegistry> takeRegistryLoading(ClassLoader loader) {
        CompletableFuture<PluginRegistry> loading = registryLoading;
        if (loading == null || registryLoader != loader) {
            return null;
        }
        registryLoading = null;
        registryLoader = null;
        return loading;
    }
}
