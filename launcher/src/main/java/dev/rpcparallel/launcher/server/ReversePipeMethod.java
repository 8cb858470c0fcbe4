package dev.rpcparallel.launcher.server;

import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.api.ReversePipeFunction;
import dev.rpcparallel.launcher.protocol.Payloads;
import dev.rpcparallel.spi.ReversePipeImplementation;

/** A reverse pipe bound to its implementation: it reads the caller's updates, then answers one result. */
final class ReversePipeMethod<Q, U, R> extends ServerMethod.Streaming {
    private final ReversePipeFunction<Q, U, R> function;
    private final ReversePipeImplementation<Object, Object, Q, U, R> implementation;
    private final Contexts contexts;

    ReversePipeMethod(ReversePipeFunction<Q, U, R> function,
            ReversePipeImplementation<Object, Object, Q, U, R> implementation, Contexts contexts) {
        super("function '" + function.name() + "'");
        this.function = function;
        this.implementation = implementation;
        this.contexts = contexts;
    }

    @Override
    public void serve(byte[] arg, Object connectionState, StreamCall call) throws Exception {
        Q query = Payloads.decode(function.queryCodec(), arg, "the query", function.name(), null);
        RemoteStream<U> updates = call.updates(bytes ->
                Payloads.decode(function.updateCodec(), bytes, "an update", function.name(), null));
        R result = implementation.call(contexts.context(connectionState), query, updates);
        call.result(Payloads.encode(function.resultCodec(), result, "the result", function.name()));
    }
}
