package dev.rpcparallel.launcher.rpc;

/**
 * Function ids every server answers, below the plugins' ids (which start at 1). Fixed: they
 * are wire values.
 */
public final class BuiltinFunctions {
    /** Acknowledges, then shuts the worker down. */
    public static final int SHUTDOWN = -1;
    /** A spawned worker registers with its master. Served by masters only. */
    public static final int REGISTER = -2;
    /** Acknowledges, then stops accepting new connections; open ones keep working. */
    public static final int CLOSE_SERVER = -3;
    /**
     * Streams the process's log events from now on: a stream whose first element (an empty
     * payload) acknowledges the subscription, then one element per event.
     */
    public static final int LOGS = -4;

    private BuiltinFunctions() {}

    public static String describeId(int functionId) {
        return switch (functionId) {
            case SHUTDOWN -> "built-in 'shutdown'";
            case REGISTER -> "built-in 'register'";
            case CLOSE_SERVER -> "built-in 'close-server'";
            case LOGS -> "built-in 'logs'";
            default -> "function #" + functionId;
        };
    }
}
