package dev.rpcparallel.launcher.client;

import dev.rpcparallel.api.CallOptions;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.launcher.protocol.BinaryPayloads;
import dev.rpcparallel.launcher.protocol.Payloads;
import java.util.concurrent.CompletableFuture;

/**
 * Calls of rpc functions: one argument out, one result back. A large {@code byte[]} argument of
 * the binary codec goes out from the caller's own array, without being encoded into another
 * ({@link BinaryPayloads}).
 */
final class RpcCall {
    private RpcCall() {}

    static <A, R> R call(ClientSession session, int functionId, RpcFunction<A, R> function, A arg,
            CallOptions options) {
        CompletableFuture<byte[]> answer = start(session, functionId, function, arg,
                CallDeadline.of(options, session.defaultCallTimeout()));
        // Decoded on the caller's thread, not the connection's reading thread.
        return decodeResult(session, function, ClientConnection.await(answer));
    }

    static <A, R> CompletableFuture<R> callAsync(ClientSession session, int functionId, RpcFunction<A, R> function,
            A arg, CallOptions options) {
        CallDeadline deadline = CallDeadline.of(options, session.defaultCallTimeout());
        CallFuture<byte[]> answer;
        try {
            answer = start(session, functionId, function, arg, deadline);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return answer.map(bytes -> decodeResult(session, function, bytes));
    }

    /** Sends the call: the argument encoded, or a large {@code byte[]} from its own array after its head. */
    private static <A> CallFuture<byte[]> start(ClientSession session, int functionId, RpcFunction<A, ?> function,
            A arg, CallDeadline deadline) {
        String label = "function '" + function.name() + "'";
        if (BinaryPayloads.sentUncopied(function.argCodec(), arg)) {
            byte[] value = (byte[]) arg;
            return session.startCall(functionId, BinaryPayloads.head(value.length), value, label, deadline);
        }
        return session.startCall(functionId, Payloads.encode(function.argCodec(), arg, "the argument", function.name()),
                label, deadline);
    }

    private static <R> R decodeResult(ClientSession session, RpcFunction<?, R> function, byte[] bytes) {
        return Payloads.decode(function.resultCodec(), bytes, "the result", function.name(), session.worker().name());
    }
}
