package dev.rpcparallel.launcher.warm;

import dev.rpcparallel.launcher.protocol.BuiltinFunctions;
import dev.rpcparallel.launcher.server.Endpoint;
import dev.rpcparallel.spi.transport.Frame;

/**
 * What the warm-up server of an idle pooled worker serves ({@link IdleWarmUp}): one function,
 * {@link #ECHO}, which answers its argument, on links parked and then opened with a connection
 * argument, as the master's first connection after a handover will be. It serves nothing of a
 * worker type and holds no state. Thread-safe.
 */
final class WarmUpEndpoint implements Endpoint {
    /** The wire id of its one function. */
    static final int ECHO = 1;

    private final String id;

    WarmUpEndpoint(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String name() {
        return "warm-up server '" + id + "'";
    }

    /** Every link may be parked: only the worker itself connects to this server. */
    @Override
    public boolean parkLink() {
        return true;
    }

    @Override
    public Object openConnection(byte[] connectionArg) {
        return connectionArg;
    }

    @Override
    public byte[] call(int functionId, byte[] arg, Object connectionState) {
        if (functionId == ECHO) {
            return arg;
        }
        if (functionId == BuiltinFunctions.HEARTBEAT) {
            return Frame.noPayload();
        }
        throw new IllegalArgumentException(name() + " has no " + describeFunction(functionId));
    }

    @Override
    public String describeFunction(int functionId) {
        return functionId == ECHO ? "function 'echo'" : BuiltinFunctions.describeId(functionId);
    }

    @Override
    public void shutdownRequested() {
        // Nobody asks: the server is closed when the warm-up ends.
    }
}
