package dev.rpcparallel.launcher.server;

import dev.rpcparallel.api.Codec;
import dev.rpcparallel.api.StateFunction;
import dev.rpcparallel.launcher.protocol.Payloads;
import dev.rpcparallel.spi.StateImplementation;
import dev.rpcparallel.spi.StateWriter;

/** A state function bound to its implementation: its initial state first, then updates, each as credit allows. */
final class StateMethod<A, S, U> extends ServerMethod.Streaming {
    private final StateFunction<A, S, U> function;
    private final StateImplementation<Object, Object, A, S, U> implementation;
    private final Contexts contexts;

    StateMethod(StateFunction<A, S, U> function, StateImplementation<Object, Object, A, S, U> implementation,
            Contexts contexts) {
        super("function '" + function.name() + "'");
        this.function = function;
        this.implementation = implementation;
        this.contexts = contexts;
    }

    @Override
    public void serve(byte[] arg, Object connectionState, StreamCall call) throws Exception {
        A decoded = Payloads.decode(function.argCodec(), arg, "the argument", function.name(), null);
        Out<S, U> out = new Out<>(call, function);
        implementation.run(contexts.context(connectionState), decoded, out);
        if (!out.initialSent) {
            throw new IllegalStateException("state function '" + function.name()
                    + "' returned without writing its initial state");
        }
        call.end();
    }

    private static final class Out<S, U> extends PipeMethod.Writer<U> implements StateWriter<S, U> {
        private final Codec<S> stateCodec;
        private final String functionName;
        volatile boolean initialSent;

        Out(StreamCall call, StateFunction<?, S, U> function) {
            super(call, function.updateCodec(), function.name());
            this.stateCodec = function.stateCodec();
            this.functionName = function.name();
        }

        @Override
        public synchronized void initialState(S state) {
            if (initialSent) {
                throw new IllegalStateException("state function '" + functionName + "' wrote its initial state twice");
            }
            call.element(Payloads.encode(stateCodec, state, "the initial state", functionName));
            initialSent = true;
        }

        @Override
        public void write(U update) {
            if (!initialSent) {
                throw new IllegalStateException("state function '" + functionName
                        + "' wrote an update before its initial state");
            }
            super.write(update);
        }
    }
}
