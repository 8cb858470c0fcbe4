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
        return new Factory(prefix, true);
    }

    /** Daemon threads all named {@code name}: for a pool of one thread, such as a timer. */
    public static ThreadFactory called(String name) {
        return new Factory(name, false);
    }

    /** A named class, not a lambda: one fewer to link on a worker's way to its first answer. */
    private static final class Factory implements ThreadFactory {
        private final String name;
        private final boolean numbered;
        private final AtomicInteger count = new AtomicInteger();

        Factory(String name, boolean numbered) {
            this.name = name;
            this.numbered = numbered;
        }

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, numbered ? name + count.getAndIncrement() : name);
            thread.setDaemon(true);
            return thread;
        }
    }
}
