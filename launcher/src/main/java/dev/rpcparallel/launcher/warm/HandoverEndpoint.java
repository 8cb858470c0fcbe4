package dev.rpcparallel.launcher.warm;

import dev.rpcparallel.launcher.protocol.BuiltinFunctions;
import dev.rpcparallel.launcher.registry.RegisteredType;
import dev.rpcparallel.launcher.server.Endpoint;
import dev.rpcparallel.launcher.server.ServerMethod;
import dev.rpcparallel.launcher.server.WorkerEndpoint;
import dev.rpcparallel.spi.transport.Frame;
import java.util.Optional;

/**
 * The endpoint of a pooled worker's server, started before the worker knows what it is: until
 * {@link #assign} it answers to the pool's id only and refuses connections, but one: the parked
 * link its master opens while it is idle, authenticated at once and opened (connection-state
 * init) when the master adopts it after the handover; from then on it is the assigned
 * {@link WorkerEndpoint}. Starting the server and authenticating the link while idle takes their
 * cost (binding, class loading, the handshake) out of the spawn and the first connect.
 */
public final class HandoverEndpoint implements Endpoint {
    private final String poolId;
    private final String poolName;
    private volatile WorkerEndpoint assigned;
    private final java.util.concurrent.atomic.AtomicBoolean parked = new java.util.concurrent.atomic.AtomicBoolean();
    private final Runnable exitIdle;

    /** @param exitIdle ends the process: a shutdown asked of it while it is still idle */
    public HandoverEndpoint(String poolId, String poolName, Runnable exitIdle) {
        this.poolId = poolId;
        this.poolName = poolName;
        this.exitIdle = exitIdle;
    }

    public void assign(WorkerEndpoint endpoint) {
        this.assigned = endpoint;
    }

    private WorkerEndpoint assigned() {
        WorkerEndpoint endpoint = assigned;
        if (endpoint == null) {
            throw new IllegalStateException(name() + " is an idle worker of the master's warm pool;"
                    + " connect to the worker its spawn returned instead");
        }
        return endpoint;
    }

    @Override
    public String id() {
        WorkerEndpoint endpoint = assigned;
        return endpoint == null ? poolId : endpoint.id();
    }

    @Override
    public String name() {
        WorkerEndpoint endpoint = assigned;
        return endpoint == null ? "warm pool worker '" + poolName + "'" : endpoint.name();
    }

    @Override
    public boolean parkLink() {
        return assigned == null && parked.compareAndSet(false, true);
    }

    @Override
    public Object openConnection(byte[] connectionArg) throws Exception {
        return assigned().openConnection(connectionArg);
    }

    @Override
    public byte[] call(int functionId, byte[] arg, Object connectionState) throws Exception {
        WorkerEndpoint endpoint = assigned;
        if (endpoint == null && functionId == BuiltinFunctions.HEARTBEAT) {
            // The worker's warm-up call to itself.
            return Frame.noPayload();
        }
        return assigned().call(functionId, arg, connectionState);
    }

    @Override
    public ServerMethod method(int functionId) {
        WorkerEndpoint endpoint = assigned;
        return endpoint == null ? Endpoint.super.method(functionId) : endpoint.method(functionId);
    }

    @Override
    public Optional<RegisteredType> servedType() {
        WorkerEndpoint endpoint = assigned;
        return endpoint == null ? Optional.empty() : endpoint.servedType();
    }

    @Override
    public String describeFunction(int functionId) {
        WorkerEndpoint endpoint = assigned;
        return endpoint == null ? "function #" + functionId : endpoint.describeFunction(functionId);
    }

    @Override
    public void shutdownRequested() {
        WorkerEndpoint endpoint = assigned;
        if (endpoint == null) {
            exitIdle.run();
        } else {
            endpoint.shutdownRequested();
        }
    }

    @Override
    public void connectionOpened(long connectionId) {
        WorkerEndpoint endpoint = assigned;
        if (endpoint != null) {
            endpoint.connectionOpened(connectionId);
        }
    }

    @Override
    public void connectionClosed(long connectionId) {
        WorkerEndpoint endpoint = assigned;
        if (endpoint != null) {
            endpoint.connectionClosed(connectionId);
        }
    }
}
