package dev.rpcparallel.launcher.client;

import dev.rpcparallel.api.CallOptions;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.launcher.protocol.Payloads;
import java.util.concurrent.CompletableFuture;

/** Calls of rpc functions: one argument out, one result back. */
final class RpcCall {
    private RpcCall() {}

    static <A, R> R call(ClientSession session, int functionId, RpcFunction<A, R> function, A arg,
            CallOptions options) {
        CompletableFuture<byte[]> answer = session.startCall(functionId,
                Payloads.encode(function.argCodec(), arg, "the argument", function.name()),
                "function '" + function.name() + "'", CallDeadline.of(options, session.defaultCallTimeout()));
        // Decoded on the caller's thread, not the connection's reading thread.
        return decodeResult(session, function, ClientConnection.await(answer));
    }

    static <A, R> CompletableFuture<R> callAsync(ClientSession session, int functionId, RpcFunction<A, R> function,
            A arg, CallOptions options) {
        byte[] encoded;
        try {
            encoded = Payloads.encode(function.argCodec(), arg, "the argument", function.name());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return session.startCall(functionId, encoded, "function '" + function.name() + "'",
                CallDeadline.of(options, session.defaultCallTimeout()))
                .map(bytes -> decodeResult(session, function, bytes));
    }

    private static <R> R decodeResult(ClientSession session, RpcFunction<?, R> function, byte[] bytes) {
        return Payloads.decode(function.resultCodec(), bytes, "the result", function.name(), session.worker().name());
    }
}
