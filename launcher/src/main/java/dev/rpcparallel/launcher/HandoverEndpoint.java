package dev.rpcparallel.launcher;

import dev.rpcparallel.api.FunctionKind;
import dev.rpcparallel.launcher.rpc.BuiltinFunctions;
import dev.rpcparallel.launcher.rpc.Endpoint;
import dev.rpcparallel.launcher.rpc.StreamCall;
import dev.rpcparallel.spi.transport.Frame;

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

    public HandoverEndpoint(String poolId, String poolName) {
        this.poolId = poolId;
        this.poolName = poolName;
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
    public FunctionKind kind(int functionId) {
        WorkerEndpoint endpoint = assigned;
        return endpoint == null ? FunctionKind.RPC : endpoint.kind(functionId);
    }

    @Override
    public void oneWay(int functionId, byte[] arg, Object connectionState) {
        assigned().oneWay(functionId, arg, connectionState);
    }

    @Override
    public void serveStream(int functionId, byte[] arg, Object connectionState, StreamCall call) throws Exception {
        assigned().serveStream(functionId, arg, connectionState, call);
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
            LauncherRuntime.exitWorker(0, null);
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
