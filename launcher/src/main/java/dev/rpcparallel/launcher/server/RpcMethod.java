package dev.rpcparallel.launcher.server;

import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.launcher.protocol.Payloads;
import dev.rpcparallel.spi.RpcImplementation;

/** An rpc function bound to its implementation: decodes the argument, calls, encodes the result. */
final class RpcMethod<A, R> extends ServerMethod.Unary {
    private final RpcFunction<A, R> function;
    private final RpcImplementation<Object, Object, A, R> implementation;
    private final Contexts contexts;

    RpcMethod(RpcFunction<A, R> function, RpcImplementation<Object, Object, A, R> implementation, Contexts contexts) {
        super("function '" + function.name() + "'");
        this.function = function;
        this.implementation = implementation;
        this.contexts = contexts;
    }

    @Override
    public byte[] call(byte[] arg, Object connectionState) throws Exception {
        A decoded = Payloads.decode(function.argCodec(), arg, "the argument", function.name(), null);
        R result = implementation.call(contexts.context(connectionState), decoded);
        return Payloads.encode(function.resultCodec(), result, "the result", function.name());
    }
}
