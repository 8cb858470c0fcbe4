package dev.rpcparallel.api;

import dev.rpcparallel.api.annotation.API;

/**
 * A worker could not be started: its process exited during start, it did not register in
 * time, or its worker-state initialisation threw (then the cause is a {@link RemoteException}).
 * The message names the worker and says what it last printed.
 */
@API(status = API.Status.STABLE, since = "0.1")
public class SpawnException extends RpcParallelException {
    private static final long serialVersionUID = 1L;

    public SpawnException(String message) {
        super(message);
    }

    public SpawnException(String message, Throwable cause) {
        super(message, cause);
    }
}
