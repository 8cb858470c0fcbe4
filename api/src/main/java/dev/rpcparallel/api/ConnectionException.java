package dev.rpcparallel.api;

import dev.rpcparallel.api.annotation.API;

/**
 * A connection to a worker could not be made or was lost: unreachable address, failed
 * handshake (wrong secret, different plugin sets), connection-state initialisation that threw
 * (then the cause is a {@link RemoteException}), or a worker that went away with calls pending.
 */
@API(status = API.Status.STABLE, since = "0.1")
public class ConnectionException extends RpcParallelException {
    private static final long serialVersionUID = 1L;

    public ConnectionException(String message) {
        super(message);
    }

    public ConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
