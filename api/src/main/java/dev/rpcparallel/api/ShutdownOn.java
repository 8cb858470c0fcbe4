package dev.rpcparallel.api;

import dev.rpcparallel.api.annotation.API;

/**
 * When a spawned worker shuts itself down, chosen at spawn with {@link SpawnOptions.Builder#shutdownOn}.
 */
@API(status = API.Status.STABLE, since = "0.1")
public enum ShutdownOn {
    /**
     * The default: the worker exits when it loses its master: when the master's end of its stdin
     * closes (the master exited or was killed), when the master's process is gone, or when the
     * master has not answered its heartbeats for the heartbeat timeout (a hung master, or one
     * that is not its parent). Also exits on shutdown. Its master, in turn, kills it when it has
     * not sent a heartbeat for the heartbeat timeout (a hung worker).
     */
    HEARTBEAT_TIMEOUT,
    /**
     * For spawn-and-connect ({@link Parallel#spawnAndConnect}): the worker exits when the first
     * connection made to it closes, or when nobody connects within the connection timeout. It
     * also exits when it loses its master, as with {@link #HEARTBEAT_TIMEOUT}.
     */
    CONNECTION_CLOSED,
    /**
     * The exception: once its spawn has returned, the worker outlives its master and stops only
     * when shut down (or when it crashes). Use it for a service that other masters connect to
     * later: {@linkplain WorkerAccess#export export its access} for them. Nothing stops it but a
     * shutdown: {@link Parallel#shutdown(WorkerAccess)}, or {@code rpc-parallel stop} (and
     * {@code rpc-parallel ps} lists it). Its output should go to a file: the master's console
     * goes away with the master. A worker whose master dies before
     * its spawn returns (during its state init, say) is held by nobody, and exits.
     */
    CALLED_SHUTDOWN
}
