package dev.rpcparallel.launcher.client;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.CallOptions;
import dev.rpcparallel.api.DirectPipeCallback;
import dev.rpcparallel.api.DirectPipeFunction;
import dev.rpcparallel.api.DirectPipeId;
import dev.rpcparallel.api.RemoteException;
import dev.rpcparallel.launcher.protocol.Payloads;
import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameKind;
import java.util.concurrent.CancellationException;

/** Calls of direct pipes: the worker pushes elements to a callback, until either side closes. */
final class DirectPipeCall extends ClientStream {
    private final ClientSession session;
    private final long callId;
    private final DirectPipeReceiver<?> receiver;

    private DirectPipeCall(ClientSession session, long callId, String label, DirectPipeReceiver<?> receiver) {
        super(label);
        this.session = session;
        this.callId = callId;
        this.receiver = receiver;
    }

    static <A, E> DirectPipeId open(ClientSession session, int functionId, DirectPipeFunction<A, E> function, A arg,
            CallOptions options, DirectPipeCallback<? super E> callback) {
        requireNonNull(callback, "callback");
        byte[] encoded = Payloads.encode(function.argCodec(), arg, "the argument", function.name());
        long callId = session.nextCallId();
        String label = "direct pipe '" + function.name() + "'";
        String worker = session.worker().name();
        DirectPipeReceiver<E> receiver = new DirectPipeReceiver<>(label + " of worker '" + worker + "'",
                session.streamLimits(),
                bytes -> Payloads.decode(function.elementCodec(), bytes, "an element", function.name(), worker),
                callback,
                taken -> session.sendQuietly(new Frame(FrameKind.CREDIT, callId, 0, taken.encode())),
                () -> {
                    if (session.calls().endStream(callId) != null) {
                        session.cancel(callId);
                    }
                });
        session.start(callId, functionId, encoded, new DirectPipeCall(session, callId, label, receiver),
                CallDeadline.of(options, null));
        return new DirectPipeId(callId);
    }

    /** Aborts the direct pipe {@code id}, if it is one still open: the worker is told, the callback closed. */
    static void abort(ClientSession session, DirectPipeId id) {
        requireNonNull(id, "id");
        if (!(session.calls().stream(id.value()) instanceof DirectPipeCall direct) || !session.calls().endStream(id.value(), direct)) {
            return;
        }
        session.cancel(id.value());
        direct.receiver.close(new CancellationException(direct.label + " of worker '" + session.worker().name()
                + "' was aborted by the caller"), true);
    }

    @Override
    void onFrame(Frame frame) {
        switch (frame.kind()) {
            case ELEMENT -> receiver.onElement(frame.payload());
            case END -> {
                session.calls().endStream(callId);
                receiver.close(null, false);
            }
            case ERROR -> {
                session.calls().endStream(callId);
                RuntimeException error = session.errors().of(frame, label);
                // Past its bound the pipe fails at once: what waits for the slow callback is dropped.
                receiver.close(error, !(error instanceof RemoteException));
            }
            default -> {
                session.calls().endStream(callId);
                receiver.close(session.errors().unexpected(frame, label), false);
            }
        }
    }

    @Override
    void fail(RuntimeException error) {
        receiver.close(error, false);
    }
}
