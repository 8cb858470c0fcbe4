package dev.rpcparallel.launcher.registry;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A worker's plugin registry loaded on its own thread from the worker's first moment. Kept out of
 * {@link PluginRegistry} on purpose: starting it must not initialise that class (and so Log4j's
 * API, through its logger) on the caller's thread.
 */
public final class BackgroundRegistry {
    /** The loading started at this worker's start, until the runtime takes it. */
    private static CompletableFuture<PluginRegistry> startedEarly;
    private static ClassLoader startedEarlyFor;

    private BackgroundRegistry() {}

    /**
     * Starts loading the registry for {@code classLoader} at a worker's first moment, for the
     * runtime to {@link #takeStartedEarly take} when it first needs the registry.
     */
    public static synchronized void startEarly(ClassLoader classLoader) {
        startedEarly = start(classLoader);
        startedEarlyFor = classLoader;
    }

    /**
     * The loading {@link #startEarly} started, if it was for {@code classLoader}, once (later
     * callers get {@code null}); {@code null} in a master.
     */
    public static synchronized CompletableFuture<PluginRegistry> takeStartedEarly(ClassLoader classLoader) {
        CompletableFuture<PluginRegistry> loading = startedEarly;
        if (loading == null || startedEarlyFor != classLoader) {
            return null;
        }
        startedEarly = null;
        startedEarlyFor = null;
        return loading;
    }

    /**
     * Starts {@link PluginRegistry#load loading} the registry on a daemon thread, for a worker
     * that has other things to do meanwhile (read its bootstrap); {@link #join} waits for it.
     */
    public static CompletableFuture<PluginRegistry> start(ClassLoader classLoader) {
        CompletableFuture<PluginRegistry> loaded = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                loaded.complete(PluginRegistry.load(classLoader));
            } catch (Throwable e) {
                loaded.completeExceptionally(e);
            }
        }, "rpc-parallel-registry");
        thread.setDaemon(true);
        thread.start();
        return loaded;
    }

    /**
     * The registry a {@link #start} future loaded, or what its loading threw, as
     * {@link PluginRegistry#load} would have thrown it: a {@code RegistryException} stays one.
     */
    public static PluginRegistry join(CompletableFuture<PluginRegistry> loading) {
        try {
            return loading.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
