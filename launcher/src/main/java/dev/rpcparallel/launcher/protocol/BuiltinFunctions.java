package dev.rpcparallel.launcher.protocol;

/**
 * Function ids every server answers, below the plugins' ids (which start at 1). Fixed: they
 * are wire values.
 */
public final class BuiltinFunctions {
    /** Acknowledges, then shuts the worker down. */
    public static final int SHUTDOWN = -1;
    /** A spawned worker registers with its master. Served by masters only. */
    public static final int REGISTER = -2;
    /** A spawned worker tells its master it is alive; the answer tells the worker the master is. */
    public static final int HEARTBEAT = -3;
    /** A spawned worker reports an exception no caller could receive, before it exits. */
    public static final int REPORT_FAILURE = -4;
    /** Acknowledges, then stops accepting new connections; open ones keep working. */
    public static final int CLOSE_SERVER = -5;
    /**
     * Streams the process's log events from now on: a stream whose first element (an empty
     * payload) acknowledges the subscription, then one element per event.
     */
    public static final int LOGS = -6;
    /**
     * Describes the worker's type and functions, with its registry fingerprint; allowed on a
     * control connection, so a client in another language learns the ids and the fingerprint.
     */
    public static final int DESCRIBE = -7;

    private BuiltinFunctions() {}

    public static String describeId(int functionId) {
        return switch (functionId) {
            case SHUTDOWN -> "built-in 'shutdown'";
            case REGISTER -> "built-in 'register'";
            case HEARTBEAT -> "built-in 'heartbeat'";
            case REPORT_FAILURE -> "built-in 'report failure'";
            case CLOSE_SERVER -> "built-in 'close-server'";
            case LOGS -> "built-in 'logs'";
            case DESCRIBE -> "built-in 'describe'";
            default -> "function #" + functionId;
        };
    }
}
