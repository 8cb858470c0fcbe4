package dev.rpcparallel.launcher.server;

import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.protocol.BuiltinFunctions;
import dev.rpcparallel.launcher.protocol.Payloads;
import dev.rpcparallel.launcher.protocol.WriterCallbacks;
import dev.rpcparallel.launcher.registry.RegisteredFunction;
import dev.rpcparallel.launcher.registry.RegisteredType;
import dev.rpcparallel.spi.CallContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Serves the functions of one worker: a plugin's implementation with its worker state. Each
 * function is bound to its implementation once, here, into a typed {@link ServerMethod}.
 */
public final class WorkerEndpoint implements Endpoint, Contexts {
    private final RegisteredType type;
    private final Object workerState;
    private final String id;
    private final String name;
    private final Runnable onShutdown;
    private volatile WorkerRef self;
    private final java.util.concurrent.atomic.AtomicLong firstConnection = new java.util.concurrent.atomic.AtomicLong();
    private volatile Runnable onFirstConnectionClosed = WriterCallbacks.NOTHING;
    /** The type's functions bound to their implementations, by wire id - 1. */
    private final ServerMethod[] methods;

    public WorkerEndpoint(RegisteredType type, Object workerState, String id, String name, Runnable onShutdown) {
        this.type = type;
        this.workerState = workerState;
        this.id = id;
        this.name = name;
        this.onShutdown = onShutdown;
        // A loop, not a stream: nothing to link on a worker's way to its first answer.
        List<RegisteredFunction> functions = type.functions();
        this.methods = new ServerMethod[functions.size()];
        for (int i = 0; i < methods.length; i++) {
            methods[i] = ServerMethods.bind(functions.get(i), this);
        }
    }

    /**
     * Sets the worker's {@code WorkerRef}, which exists once its server listens. Called before
     * the ref is published, so before any client can have authenticated.
     */
    public WorkerRef publishAt(String address) {
        self = new WorkerRef(type.name(), id, name, address);
        return self;
    }

    /** Runs {@code action} when the first connection made to this worker closes. */
    public void onFirstConnectionClosed(Runnable action) {
        this.onFirstConnectionClosed = action;
    }

    /** Whether any connection (not a control connection) was ever opened. */
    public boolean hadConnection() {
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
        return type.plugin().initConnectionState(
                Payloads.decode(type.type().connectionArgCodec(), connectionArg, "the connection argument", null, null),
                workerState);
    }

    @Override
    public ServerMethod method(int functionId) {
        if (functionId >= 1 && functionId <= methods.length) {
            return methods[functionId - 1];
        }
        return ServerMethod.unary(BuiltinFunctions.describeId(functionId), (arg, state) -> {
            throw new IllegalArgumentException("worker type '" + type.name() + "' has no function #" + functionId
                    + " (it has " + methods.length + "): the caller's plugin set differs from this worker's");
        });
    }

    @Override
    public byte[] call(int functionId, byte[] arg, Object connectionState) throws Exception {
        ServerMethod method = method(functionId);
        if (method instanceof ServerMethod.Unary unary) {
            return unary.call(arg, connectionState);
        }
        throw new IllegalArgumentException(method.label() + " is not an rpc function");
    }

    @Override
    public CallContext<Object, Object> context(Object connectionState) {
        return new Context(connectionState);
    }

    @Override
    public Optional<RegisteredType> servedType() {
        return Optional.of(type);
    }

    @Override
    public String describeFunction(int functionId) {
        return method(functionId).label();
    }

    @Override
    public void shutdownRequested() {
        onShutdown.run();
    }

    /** One call's context: made on the thread that starts serving the call, whose current call it binds. */
    private final class Context implements CallContext<Object, Object> {
        private final Object connectionState;
        /** The call served, or {@code null} for one that cannot be cancelled (a one-way call). */
        private final ServerCall call = ServerCall.current();

        public Context(Object connectionState) {
            this.connectionState = connectionState;
        }

        @Override
        public boolean isCancelled() {
            return call != null && call.isCancelled();
        }

        @Override
        public Optional<Instant> deadline() {
            return call == null ? Optional.empty() : call.deadline();
        }

        @Override
        public Optional<Duration> timeRemaining() {
            return call == null ? Optional.empty() : call.timeRemaining();
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
