package dev.rpcparallel.launcher.server;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.launcher.protocol.Payloads;
import dev.rpcparallel.spi.RpcImplementation;

/**
 * An rpc function bound to its implementation: decodes the argument, calls, encodes the result;
 * a {@code byte[]} result of the binary codec goes to the connection as it is ({@link #answer}).
 */
final class RpcMethod<A, R> extends ServerMethod.Unary {
    private final RpcFunction<A, R> function;
    private final RpcImplementation<Object, Object, A, R> implementation;
    private final Contexts contexts;
    private final boolean binaryResult;

    RpcMethod(RpcFunction<A, R> function, RpcImplementation<Object, Object, A, R> implementation, Contexts contexts) {
        super("function '" + function.name() + "'");
        this.function = function;
        this.implementation = implementation;
        this.contexts = contexts;
        this.binaryResult = function.resultCodec() == Codecs.bytes();
    }

    @Override
    public byte[] call(byte[] arg, Object connectionState) throws Exception {
        return encode(invoke(arg, connectionState));
    }

    @Override
    public byte[] answer(byte[] arg, Object connectionState) throws Exception {
        R result = invoke(arg, connectionState);
        if (!binaryResult || result == null) {
            return encode(result); // null: the binary codec refuses it, in the one wording
        }
        return (byte[]) result;
    }

    @Override
    public boolean answersBinaryValue() {
        return binaryResult;
    }

    private R invoke(byte[] arg, Object connectionState) throws Exception {
        A decoded = Payloads.decode(function.argCodec(), arg, "the argument", function.name(), null);
        return implementation.call(contexts.context(connectionState), decoded);
    }

    private byte[] encode(R result) {
        return Payloads.encode(function.resultCodec(), result, "the result", function.name());
    }
}
