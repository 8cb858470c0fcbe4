package dev.rpcparallel.launcher.client;

import dev.rpcparallel.api.OneWayFunction;
import dev.rpcparallel.launcher.protocol.Payloads;

/** Calls of one-way functions: the argument goes out, nothing comes back. */
final class OneWayCall {
    private OneWayCall() {}

    static <A> void send(ClientSession session, int functionId, OneWayFunction<A> function, A arg) {
        byte[] encoded = Payloads.encode(function.argCodec(), arg, "the argument", function.name());
        session.sendOneWay(functionId, encoded, "one-way function '" + function.name() + "'");
    }
}
