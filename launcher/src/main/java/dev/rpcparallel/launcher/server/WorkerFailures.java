package dev.rpcparallel.launcher.server;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.launcher.protocol.StackTraces;
import java.util.function.BiConsumer;

/**
 * Where a worker's failures outside any call go: an exception thrown by a one-way function,
 * which has no caller to receive it. {@link #report} writes it to stderr (a spawned worker's
 * stderr reaches its master's console) and hands it to the reporter, which the process
 * lifecycle sets to carry it to the master ({@code SpawnOptions.onFailure}).
 */
public final class WorkerFailures {
    /** {@code null} until the lifecycle sets one. */
    private static volatile BiConsumer<String, Throwable> reporter;

    private WorkerFailures() {}

    /**
     * Reports a failure: always to stderr, with its stack trace, then to the reporter.
     *
     * @param what what failed, naming the worker and the function:
     *     {@code "worker 'w-1', one-way function 'remember'"}
     */
    public static void report(String what, Throwable failure) {
        System.err.println("rpc-parallel: " + what + " failed: " + StackTraces.text(failure));
        System.err.flush();
        BiConsumer<String, Throwable> current = reporter;
        if (current == null) {
            return;
        }
        try {
            current.accept(what, failure);
        } catch (RuntimeException e) {
            System.err.println("rpc-parallel: reporting that failure failed too: " + e);
        }
    }

    /** Sets where failures go after stderr; replaces the previous reporter. */
    public static void setReporter(BiConsumer<String, Throwable> newReporter) {
        reporter = requireNonNull(newReporter, "newReporter");
    }
}
