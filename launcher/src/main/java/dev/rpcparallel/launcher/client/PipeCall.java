package dev.rpcparallel.launcher.client;

import dev.rpcparallel.api.CallOptions;
import dev.rpcparallel.api.PipeFunction;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.launcher.protocol.InboundStream;
import dev.rpcparallel.launcher.protocol.Payloads;
import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameKind;
import java.util.function.Function;

/** Calls of pipes: a flow-controlled stream of elements from the worker (also under states and the logs built-in). */
final class PipeCall {
    private PipeCall() {}

    static <A, E> RemoteStream<E> open(ClientSession session, int functionId, PipeFunction<A, E> function, A arg,
            CallOptions options) {
        byte[] encoded = Payloads.encode(function.argCodec(), arg, "the argument", function.name());
        String worker = session.worker().name();
        return openInbound(session, functionId, encoded, "pipe '" + function.name() + "'",
                bytes -> Payloads.decode(function.elementCodec(), bytes, "an element", function.name(), worker),
                CallDeadline.of(options, null));
    }

    /** Opens a flow-controlled stream of elements from the worker. */
    static <E> InboundStream<E> openInbound(ClientSession session, int functionId, byte[] arg, String label,
            Function<byte[], E> decoder, CallDeadline deadline) {
        long callId = session.nextCallId();
        InboundStream<E> stream = new InboundStream<>(label, session.streamLimits().window(), decoder,
                credit -> session.sendQuietly(new Frame(FrameKind.CREDIT, callId, 0, credit.encode())),
                () -> {
                    if (session.calls().endStream(callId) != null) {
                        session.cancel(callId);
                    }
                });
        session.start(callId, functionId, arg, new ClientStream(label) {
            @Override
            void onFrame(Frame frame) {
                switch (frame.kind()) {
                    case ELEMENT -> stream.onElement(frame.payload());
                    case END -> {
                        session.calls().endStream(callId);
                        stream.onEnd();
                    }
                    case ERROR -> {
                        session.calls().endStream(callId);
                        stream.onFailure(session.errors().of(frame, label));
                    }
                    default -> {
                        session.calls().endStream(callId);
                        stream.onFailure(session.errors().unexpected(frame, label));
                    }
                }
            }

            @Override
            void fail(RuntimeException error) {
                stream.onFailure(error);
            }
        }, deadline);
        return stream;
    }
}
