package dev.rpcparallel.launcher.protocol;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread factories of the runtime's own threads: daemon threads, named after their job. */
public final class DaemonThreads {
    private DaemonThreads() {}

    /**
     * Daemon threads named {@code prefix} and a number. Not Guava's {@code setNameFormat}: its
     * {@code String.format} loads {@code Formatter} and locale data on the worker's start path.
     */
    public static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Daemon threads all named {@code name}: for a pool of one thread, such as a timer. */
    public static ThreadFactory called(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
