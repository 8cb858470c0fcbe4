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

    private BuiltinFunctions() {}

    public static String describeId(int functionId) {
        return switch (functionId) {
            case SHUTDOWN -> "built-in 'shutdown'";
            case REGISTER -> "built-in 'register'";
            default -> "function #" + functionId;
        };
    }
}
