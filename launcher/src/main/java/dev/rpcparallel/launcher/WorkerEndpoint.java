package dev.rpcparallel.launcher;

import dev.rpcparallel.api.Codec;
import dev.rpcparallel.api.CodecException;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.registry.RegisteredFunction;
import dev.rpcparallel.launcher.registry.RegisteredType;
import dev.rpcparallel.launcher.rpc.BuiltinFunctions;
import dev.rpcparallel.launcher.rpc.Endpoint;
import dev.rpcparallel.spi.CallContext;

/** Serves the functions of one worker: a plugin's implementation with its worker state. */
final class WorkerEndpoint implements Endpoint {
    private final RegisteredType type;
    private final Object workerState;
    private final String id;
    private final String name;
    private final Runnable onShutdown;
    private volatile WorkerRef self;
    private final java.util.concurrent.atomic.AtomicLong firstConnection = new java.util.concurrent.atomic.AtomicLong();
    private volatile Runnable onFirstConnectionClosed = () -> { };

    WorkerEndpoint(RegisteredType type, Object workerState, String id, String name, Runnable onShutdown) {
        this.type = type;
        this.workerState = workerState;
        this.id = id;
        this.name = name;
        this.onShutdown = onShutdown;
    }

    /**
     * Sets the worker's {@code WorkerRef}, which exists once its server listens. Called before
     * the ref is published, so before any client can have authenticated.
     */
    WorkerRef publishAt(String address) {
        self = new WorkerRef(type.name(), id, name, address);
        return self;
    }

    /** Runs {@code action} when the first connection made to this worker closes. */
    void onFirstConnectionClosed(Runnable action) {
        this.onFirstConnectionClosed = action;
    }

    /** Whether any connection (not a control connection) was ever opened. */
    boolean hadConnection() {
        return firstConnection.get() != 0;
    }

    @Override
    public void connectionOpened(long connectionId) {
        firstConnection.compareAndSet(0, connectionId);
    }

    @Override
    public void connectionClosed(long connectionId) {
        if (firstConnection.get() == connectionId) {
            onFirstConnectionClosed.run();
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String name() {
        return "worker '" + name + "'";
    }

    @Override
    public Object openConnection(byte[] connectionArg) throws Exception {
        Object arg = decode(type.type().connectionArgCodec(), connectionArg, "the connection argument");
        return type.plugin().initConnectionState(arg, workerState);
    }

    @Override
    public byte[] call(int functionId, byte[] arg, Object connectionState) throws Exception {
        RegisteredFunction function = type.function(functionId).orElseThrow(() -> new IllegalArgumentException(
                "worker type '" + type.name() + "' has no function #" + functionId + " (it has "
                        + type.functions().size() + "): the caller's plugin set differs from this worker's"));
        @SuppressWarnings("unchecked")
        Codec<Object> argCodec = (Codec<Object>) function.function().argCodec();
        @SuppressWarnings("unchecked")
        Codec<Object> resultCodec = (Codec<Object>) function.function().resultCodec();
        Object decoded = decode(argCodec, arg, "the argument of function '" + function.name() + "'");
        Object result = function.implementation().call(new Context(connectionState), decoded);
        try {
            return resultCodec.encode(result);
        } catch (CodecException e) {
            throw new CodecException("Cannot encode the result of function '" + function.name() + "' with codec "
                    + resultCodec.name() + ": " + e.getMessage(), e);
        }
    }

    private static Object decode(Codec<?> codec, byte[] bytes, String what) {
        try {
            return codec.decode(bytes);
        } catch (CodecException e) {
            throw new CodecException("Cannot decode " + what + " with codec " + codec.name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describeFunction(int functionId) {
        return type.function(functionId)
                .map(function -> "function '" + function.name() + "'")
                .orElseGet(() -> BuiltinFunctions.describeId(functionId));
    }

    @Override
    public void shutdownRequested() {
        onShutdown.run();
    }

    private final class Context implements CallContext<Object, Object> {
        private final Object connectionState;

        Context(Object connectionState) {
            this.connectionState = connectionState;
        }

        @Override
        public Object workerState() {
            return workerState;
        }

        @Override
        public Object connectionState() {
            return connectionState;
        }

        @Override
        public WorkerRef self() {
            return self;
        }
    }
}
