package dev.rpcparallel.api;

import static java.util.Objects.requireNonNull;

/**
 * An exception thrown by code running in a worker (a function, or a worker- or
 * connection-state initialisation), carried back to the caller.
 *
 * <p>The message names the worker, the function, the remote exception type and its message,
 * and ends with the remote stack trace, so a log line or a test failure shows everything. The
 * parts are also available one by one.
 */
public class RemoteException extends RpcParallelException {
    private static final long serialVersionUID = 1L;

    private final String workerName;
    private final String functionName;
    private final String remoteType;
    private final String remoteMessage;
    private final String remoteStackTrace;

    public RemoteException(
            String workerName,
            String functionName,
            String remoteType,
            String remoteMessage,
            String remoteStackTrace) {
        super("worker '" + workerName + "', " + functionName + ": " + remoteType
                + (remoteMessage == null ? "" : ": " + remoteMessage)
                + "\nRemote stack trace:\n" + remoteStackTrace);
        this.workerName = requireNonNull(workerName, "workerName");
        this.functionName = requireNonNull(functionName, "functionName");
        this.remoteType = requireNonNull(remoteType, "remoteType");
        this.remoteMessage = remoteMessage;
        this.remoteStackTrace = requireNonNull(remoteStackTrace, "remoteStackTrace");
    }

    /** The name of the worker the exception was thrown in. */
    public String workerName() {
        return workerName;
    }

    /**
     * What was running: {@code "function 'count'"}, {@code "worker-state init"} or
     * {@code "connection-state init"}.
     */
    public String functionName() {
        return functionName;
    }

    /** The fully qualified class name of the remote exception. */
    public String remoteType() {
        return remoteType;
    }

    /** The remote exception's message, or {@code null} if it had none. */
    public String remoteMessage() {
        return remoteMessage;
    }

    /** The remote stack trace as the worker printed it, causes included. */
    public String remoteStackTrace() {
        return remoteStackTrace;
    }
}
