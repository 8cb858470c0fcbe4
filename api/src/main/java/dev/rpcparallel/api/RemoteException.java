package dev.rpcparallel.api;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.annotation.API;

/**
 * An exception thrown by code running in a worker (a function, or a worker- or
 * connection-state initialisation), carried back to the caller.
 *
 * <p>The message is one line: the worker, the function, the remote exception type and the
 * first line of its message. The remote stack trace is this exception's
 * {@linkplain #getCause() cause}, a {@link RemoteStackTrace} whose message is the trace as the
 * worker printed it, so {@code printStackTrace()} and every logging backend print it under
 * {@code Caused by:}. The parts are also available one by one.
 */
@API(status = API.Status.STABLE, since = "0.1")
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
        super("worker '" + workerName + "', " + functionName + ": " + remoteType + firstLine(remoteMessage),
                new RemoteStackTrace(requireNonNull(remoteStackTrace, "remoteStackTrace")));
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

    private static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "";
        }
        String stripped = message.strip();
        int end = stripped.indexOf('\n');
        return end < 0 ? ": " + stripped : ": " + stripped.substring(0, end).stripTrailing() + " [...]";
    }

    /**
     * The cause of a {@link RemoteException}: the stack trace printed in the worker, carried as
     * text (the worker's classes need not exist here). It has no stack of its own.
     */
    public static final class RemoteStackTrace extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RemoteStackTrace(String remoteStackTrace) {
            super("in the worker:" + System.lineSeparator() + remoteStackTrace.stripTrailing(), null, false, false);
        }
    }
}
