package dev.rpcparallel.launcher.worker;

import java.util.concurrent.TimeUnit;

/**
 * Opens every jar of the worker's class path once, on a thread of its own from the worker's
 * start, and the worker waits for it before it registers. The class loader keeps a jar open once
 * it has opened it, so a class or resource the worker needs later (Log4j core at its first
 * printed line, a function's library) loads without a new file descriptor: a worker out of
 * descriptors (a flood of connections) can still say so in its log and serve on.
 *
 * <p>A worker on its master's host looks nothing up through its class path on its way to its
 * first answer (its master names what it would find), so without this it would have opened only
 * the jars of the classes it loaded. Asking the class loader for a resource that no jar holds
 * opens them all (each one's central directory read), off the main thread, which meanwhile reads
 * its plugins and opens its link to the master.
 */
final class ClassPathJars {
    /** A resource no jar holds: looking for it opens every jar of the class path. */
    private static final String NO_SUCH_RESOURCE = "META-INF/rpc-parallel/no-such-resource-opens-every-jar";
    /** How long registering waits for the jars at most; after that it goes on without. */
    private static final long WAIT_SECONDS = 30;

    private ClassPathJars() {}

    /** Starts opening the class path's jars; {@link #awaitOpened} waits for it. */
    static Thread openInBackground() {
        Thread thread = new Thread(new Opener(), "rpc-parallel-class-path");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Waits until {@code opening} has opened every jar (or for {@link #WAIT_SECONDS} at most). */
    static void awaitOpened(Thread opening) {
        try {
            opening.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The opening thread's work: a named class, not a lambda to link on the start path. */
    private static final class Opener implements Runnable {
        @Override
        public void run() {
            ClassLoader.getSystemClassLoader().getResource(NO_SUCH_RESOURCE);
        }
    }
}
