package dev.rpcparallel.launcher.server;

import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.FrameKind;

/**
 * The built-in functions a connection's {@link Endpoint} serves itself (a master's registration
 * and heartbeats, a worker's failure reports). Each runs where it arrives when the channel lets
 * another thread take over reading ({@link InlineCalls}), else on the executor. Its answer is
 * written and flushed at once, past anything queued: its caller waits for nothing else. Only
 * then does the endpoint hear that the answer is on its way ({@link Endpoint#builtinAnswered}).
 */
final class EndpointBuiltins {
    private final ServerSession session;
    private final Endpoint endpoint;
    private final FrameChannel channel;
    private final ServerCalls calls;
    private final CallDispatch dispatch;
    private final boolean inline;

    EndpointBuiltins(ServerSession session, Endpoint endpoint, FrameChannel channel, ServerCalls calls,
            CallDispatch dispatch, boolean inline) {
        this.session = session;
        this.endpoint = endpoint;
        this.channel = channel;
        this.calls = calls;
        this.dispatch = dispatch;
        this.inline = inline;
    }

    /** Runs the built-in {@code call} names, and answers it. */
    void start(Frame call) {
        int functionId = call.functionId();
        SessionHooks.BuiltinName name = new SessionHooks.BuiltinName(endpoint, functionId);
        ServerCall served = calls.open(call.callId(), name);
        if (!inline) {
            session.submit(() -> answer(served, functionId, call.payload()));
            return;
        }
        InlineCalls.Call running = InlineCalls.start(channel, name);
        try {
            // Answered before finish(): a write blocked on a peer that reads slowly is covered by
            // the watchdog too.
            answer(served, functionId, call.payload());
        } finally {
            running.finish();
        }
    }

    private void answer(ServerCall served, int functionId, byte[] arg) {
        Frame reply = dispatch.answer(served, new SessionHooks.BuiltinMethod(endpoint, functionId), arg);
        if (reply != null && session.sendFlushed(reply) && reply.kind() == FrameKind.RESULT) {
            endpoint.builtinAnswered(functionId, arg);
        }
    }
}
