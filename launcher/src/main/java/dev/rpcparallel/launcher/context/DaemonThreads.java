package dev.rpcparallel.launcher.context;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread factories of the runtime's own threads. */
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
}
