package dev.rpcparallel.api;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.annotation.API;
import java.util.Optional;

/**
 * A spawned worker failed after its spawn returned: its process died (killed, crashed, exited on
 * its own) or it reported an exception that no caller could receive (a background thread, a
 * one-way function), after which it exits. Given to the spawn's
 * {@link SpawnOptions.Builder#onFailure failure callback}, once per worker. When the worker
 * reported an exception, the cause is a {@link RemoteException} with its stack trace.
 */
@API(status = API.Status.STABLE, since = "0.1")
public class WorkerFailedException extends RpcParallelException {
    private static final long serialVersionUID = 1L;

    private final String workerName;
    private final String exitStatus;

    public WorkerFailedException(String workerName, String exitStatus, String message, Throwable cause) {
        super(message, cause);
        this.workerName = requireNonNull(workerName, "workerName");
        this.exitStatus = exitStatus;
    }

    /** The worker's name. */
    public String workerName() {
        return workerName;
    }

    /** How the process ended, as in {@code "killed by signal 9 (SIGKILL)"}, if it has. */
    public Optional<String> exitStatus() {
        return Optional.ofNullable(exitStatus);
    }
}
