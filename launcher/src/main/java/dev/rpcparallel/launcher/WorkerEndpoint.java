package dev.rpcparallel.launcher;

import dev.rpcparallel.launcher.server.WorkerFailures;
import dev.rpcparallel.api.Codec;
import dev.rpcparallel.api.CodecException;
import dev.rpcparallel.api.DirectPipeFunction;
import dev.rpcparallel.api.FunctionKind;
import dev.rpcparallel.api.OneWayFunction;
import dev.rpcparallel.api.PipeFunction;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.api.ReversePipeFunction;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.StateFunction;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.registry.RegisteredFunction;
import dev.rpcparallel.launcher.registry.RegisteredType;
import dev.rpcparallel.launcher.rpc.BuiltinFunctions;
import dev.rpcparallel.launcher.rpc.Endpoint;
import dev.rpcparallel.launcher.rpc.ServerCall;
import dev.rpcparallel.launcher.rpc.StreamCall;
import dev.rpcparallel.spi.CallContext;
import dev.rpcparallel.spi.DirectPipeImplementation;
import dev.rpcparallel.spi.DirectPipeWriter;
import dev.rpcparallel.spi.OneWayImplementation;
import dev.rpcparallel.spi.PipeImplementation;
import dev.rpcparallel.spi.PipeWriter;
import dev.rpcparallel.spi.ReversePipeImplementation;
import dev.rpcparallel.spi.RpcImplementation;
import dev.rpcparallel.spi.StateImplementation;
import dev.rpcparallel.spi.StateWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Serves the functions of one worker: a plugin's implementation with its worker state. */
public final class WorkerEndpoint implements Endpoint {
    private final RegisteredType type;
    private final Object workerState;
    private final String id;
    private final String name;
    private final Runnable onShutdown;
    private volatile WorkerRef self;
    private final java.util.concurrent.atomic.AtomicLong firstConnection = new java.util.concurrent.atomic.AtomicLong();
    private volatile Runnable onFirstConnectionClosed = () -> { };

    public WorkerEndpoint(RegisteredType type, Object workerState, String id, String name, Runnable onShutdown) {
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
        Object arg = decode(type.type().connectionArgCodec(), connectionArg, "the connection argument");
        return type.plugin().initConnectionState(arg, workerState);
    }

    private RegisteredFunction function(int functionId) {
        return type.function(functionId).orElseThrow(() -> new IllegalArgumentException(
                "worker type '" + type.name() + "' has no function #" + functionId + " (it has "
                        + type.functions().size() + "): the caller's plugin set differs from this worker's"));
    }

    @Override
    public FunctionKind kind(int functionId) {
        return type.function(functionId).map(RegisteredFunction::kind).orElse(FunctionKind.RPC);
    }

    @Override
    @SuppressWarnings("unchecked")
    public byte[] call(int functionId, byte[] arg, Object connectionState) throws Exception {
        RegisteredFunction function = function(functionId);
        RpcFunction<Object, Object> handle = (RpcFunction<Object, Object>) function.function();
        Object decoded = decode(handle.argCodec(), arg, "the argument of function '" + function.name() + "'");
        Object result = ((RpcImplementation<Object, Object, Object, Object>) function.implementation())
                .call(new Context(connectionState), decoded);
        return encode(handle.resultCodec(), result, "the result of function '" + function.name() + "'");
    }

    @Override
    @SuppressWarnings("unchecked")
    public void oneWay(int functionId, byte[] arg, Object connectionState) {
        RegisteredFunction function = function(functionId);
        OneWayFunction<Object> handle = (OneWayFunction<Object>) function.function();
        Object decoded;
        try {
            decoded = decode(handle.argCodec(), arg, "the argument of function '" + function.name() + "'");
        } catch (CodecException e) {
            // The caller sent bytes that are not an argument: its fault, not a failure of this
            // worker, and there is no call to answer.
            org.apache.logging.log4j.LogManager.getLogger(WorkerEndpoint.class)
                    .warn("{}: one-way call of '{}' dropped: {}", name(), function.name(), e.getMessage());
            return;
        }
        try {
            ((OneWayImplementation<Object, Object, Object>) function.implementation())
                    .run(new Context(connectionState), decoded);
        } catch (Throwable e) {
            WorkerFailures.report(name() + ", one-way function '" + function.name() + "'", e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void serveStream(int functionId, byte[] arg, Object connectionState, StreamCall call) throws Exception {
        RegisteredFunction function = function(functionId);
        Context context = new Context(connectionState);
        String argument = "the argument of function '" + function.name() + "'";
        switch (function.kind()) {
            case PIPE -> {
                PipeFunction<Object, Object> handle = (PipeFunction<Object, Object>) function.function();
                Object decoded = decode(handle.argCodec(), arg, argument);
                ((PipeImplementation<Object, Object, Object, Object>) function.implementation())
                        .produce(context, decoded, new Writer<>(call, handle.elementCodec(), function.name()));
                call.end();
            }
            case STATE -> {
                StateFunction<Object, Object, Object> handle = (StateFunction<Object, Object, Object>) function.function();
                Object decoded = decode(handle.argCodec(), arg, argument);
                StateOut out = new StateOut(call, handle, function.name());
                ((StateImplementation<Object, Object, Object, Object, Object>) function.implementation())
                        .run(context, decoded, out);
                if (!out.initialSent) {
                    throw new IllegalStateException("state function '" + function.name()
                            + "' returned without writing its initial state");
                }
                call.end();
            }
            case DIRECT_PIPE -> {
                DirectPipeFunction<Object, Object> handle = (DirectPipeFunction<Object, Object>) function.function();
                Object decoded = decode(handle.argCodec(), arg, argument);
                ((DirectPipeImplementation<Object, Object, Object, Object>) function.implementation())
                        .start(context, decoded, new DirectWriter(call, handle.elementCodec(), function.name()));
            }
            case REVERSE_PIPE -> {
                ReversePipeFunction<Object, Object, Object> handle =
                        (ReversePipeFunction<Object, Object, Object>) function.function();
                Object query = decode(handle.queryCodec(), arg, "the query of function '" + function.name() + "'");
                String update = "an update of function '" + function.name() + "'";
                RemoteStream<Object> updates = call.updates(bytes -> decode(handle.updateCodec(), bytes, update));
                Object result = ((ReversePipeImplementation<Object, Object, Object, Object, Object>)
                        function.implementation()).call(context, query, updates);
                call.result(encode(handle.resultCodec(), result, "the result of function '" + function.name() + "'"));
            }
            default -> throw new IllegalArgumentException("function '" + function.name() + "' is a "
                    + function.kind() + " function, not a stream");
        }
    }

    private static byte[] encode(Codec<Object> codec, Object value, String what) {
        try {
            return codec.encode(value);
        } catch (CodecException e) {
            throw new CodecException("Cannot encode " + what + " with codec " + codec.name() + ": " + e.getMessage(), e);
        }
    }

    /** A pipe's writer: each element waits for credit. */
    private static class Writer<E> implements PipeWriter<E> {
        final StreamCall call;
        final Codec<E> codec;
        final String what;

        Writer(StreamCall call, Codec<E> codec, String functionName) {
            this.call = call;
            this.codec = codec;
            this.what = "an element of function '" + functionName + "'";
        }

        @Override
        @SuppressWarnings("unchecked")
        public void write(E element) {
            call.element(encode((Codec<Object>) codec, element, what));
        }

        @Override
        public boolean isCancelled() {
            return call.isCancelled();
        }
    }

    private static final class StateOut extends Writer<Object> implements StateWriter<Object, Object> {
        private final Codec<Object> stateCodec;
        private final String functionName;
        volatile boolean initialSent;

        StateOut(StreamCall call, StateFunction<Object, Object, Object> handle, String functionName) {
            super(call, handle.updateCodec(), functionName);
            this.stateCodec = handle.stateCodec();
            this.functionName = functionName;
        }

        @Override
        public synchronized void initialState(Object state) {
            if (initialSent) {
                throw new IllegalStateException("state function '" + functionName + "' wrote its initial state twice");
            }
            call.element(encode(stateCodec, state, "the initial state of function '" + functionName + "'"));
            initialSent = true;
        }

        @Override
        public void write(Object update) {
            if (!initialSent) {
                throw new IllegalStateException("state function '" + functionName
                        + "' wrote an update before its initial state");
            }
            super.write(update);
        }
    }

    /** A direct pipe's writer: pushes without credit; open until closed by either side. */
    private static final class DirectWriter implements DirectPipeWriter<Object> {
        private final StreamCall call;
        private final Codec<Object> codec;
        private final String what;

        DirectWriter(StreamCall call, Codec<Object> codec, String functionName) {
            this.call = call;
            this.codec = codec;
            this.what = "an element of function '" + functionName + "'";
        }

        @Override
        public boolean write(Object element) {
            return call.push(encode(codec, element, what));
        }

        @Override
        public void close() {
            call.end();
        }

        @Override
        public boolean isClosed() {
            return call.isCancelled();
        }

        @Override
        public CompletionStage<Void> whenClosed() {
            return call.whenClosed();
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

    /** One call's context: made on the thread that starts serving the call, whose current call it binds. */
    private final class Context implements CallContext<Object, Object> {
        private final Object connectionState;
        /** The call served, or {@code null} for one that cannot be cancelled (a one-way call). */
        private final ServerCall call = ServerCall.current();

        Context(Object connectionState) {
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
