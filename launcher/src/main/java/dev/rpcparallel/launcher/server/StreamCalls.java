package dev.rpcparallel.launcher.server;

import dev.rpcparallel.launcher.protocol.Messages;
import dev.rpcparallel.launcher.protocol.StreamLimits;
import dev.rpcparallel.spi.transport.Frame;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** The streams in progress on one server connection, by call id: where their caller's frames go. */
final class StreamCalls {
    private final Map<Long, StreamCall> streams = new ConcurrentHashMap<>();
    private final Endpoint endpoint;
    private final StreamLimits limits;
    private final ServerCalls calls;
    private final Consumer<Frame> sender;

    StreamCalls(Endpoint endpoint, StreamLimits limits, ServerCalls calls, Consumer<Frame> sender) {
        this.endpoint = endpoint;
        this.limits = limits;
        this.calls = calls;
        this.sender = sender;
    }

    /** A stream of a built-in (the logs): cancelled by its caller or the connection's loss only. */
    StreamCall open(long callId, String label) {
        StreamCall call = new StreamCall(callId, label + " of " + endpoint.name(), limits, sender,
                () -> streams.remove(callId));
        streams.put(callId, call);
        return call;
    }

    /** A stream that is cancelled with its {@link ServerCall}, which ends with it. */
    StreamCall open(long callId, String label, ServerCall served) {
        StreamCall call = new StreamCall(callId, label + " of " + endpoint.name(), limits, sender, () -> {
            streams.remove(callId);
            calls.ended(served);
        });
        streams.put(callId, call);
        served.onCancel(() -> call.onCancel(served.cancelledBy()));
        return call;
    }

    void cancel(long callId, String by) {
        StreamCall call = streams.get(callId);
        if (call != null) {
            call.onCancel(by);
        }
    }

    /** An ELEMENT, END or CREDIT frame from the caller; dropped if its stream has ended. */
    void onFrame(Frame frame) {
        StreamCall call = streams.get(frame.callId());
        if (call == null) {
            return; // the call has ended: what was in flight is dropped
        }
        switch (frame.kind()) {
            case ELEMENT -> call.onUpdate(frame.payload());
            case END -> call.onUpdatesEnd();
            default -> call.onCredit(frame.payload());
        }
    }

    void fail(long callId, Messages.RemoteError error) {
        StreamCall call = streams.get(callId);
        if (call != null) {
            call.fail(error);
        }
    }

    void connectionClosed(String reason) {
        for (StreamCall call : streams.values()) {
            call.onConnectionClosed(reason);
        }
    }
}
