package dev.rpcparallel.launcher.fork;

/**
 * How a worker process ends: its exit statuses, which its master reads ({@link ExitStatus}),
 * and the one way it exits.
 */
public final class WorkerExit {
    /** A requested end: shutdown, release, connection closed. */
    public static final int DONE = 0;
    /** The worker's main failed. */
    public static final int FAILED = 1;
    /** Its stdin held no readable bootstrap. */
    public static final int NO_BOOTSTRAP = 2;
    /** Its plugin set differs from its master's. */
    public static final int PLUGIN_MISMATCH = 3;
    /** Its state init threw. */
    public static final int INIT_FAILED = 4;
    /** Its master went away. */
    public static final int MASTER_GONE = 5;
    /** It reported an exception no caller could receive. */
    public static final int REPORTED_FAILURE = 6;

    private WorkerExit() {}

    /** Ends this worker process: says why on stderr ({@code null}: nothing), flushes, exits. */
    public static void exit(int status, String message) {
        if (message != null) {
            System.err.println(message);
        }
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }
}
