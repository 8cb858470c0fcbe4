package dev.rpcparallel.launcher.client;

import dev.rpcparallel.api.CallOptions;
import dev.rpcparallel.api.RemoteState;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.api.StateFunction;
import dev.rpcparallel.launcher.protocol.InboundStream;
import dev.rpcparallel.launcher.protocol.Payloads;

/** Calls of state functions: an initial state, then a stream of updates to it. */
final class StateCall {
    private StateCall() {}

    static <A, S, U> RemoteState<S, U> open(ClientSession session, int functionId, StateFunction<A, S, U> function,
            A arg, CallOptions options) {
        byte[] encoded = Payloads.encode(function.argCodec(), arg, "the argument", function.name());
        String worker = session.worker().name();
        InboundStream<U> updates = PipeCall.openInbound(session, functionId, encoded, "state '" + function.name() + "'",
                bytes -> Payloads.decode(function.updateCodec(), bytes, "an update", function.name(), worker),
                CallDeadline.of(options, null));
        S initial;
        try {
            initial = Payloads.decode(function.stateCodec(), updates.takeFirstRaw(), "the initial state",
                    function.name(), worker);
        } catch (RuntimeException e) {
            updates.close();
            throw e;
        }
        return new RemoteState<>() {
            @Override
            public S initialState() {
                return initial;
            }

            @Override
            public RemoteStream<U> updates() {
                return updates;
            }

            @Override
            public void close() {
                updates.close();
            }
        };
    }
}
