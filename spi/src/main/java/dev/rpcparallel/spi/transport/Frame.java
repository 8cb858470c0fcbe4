package dev.rpcparallel.spi.transport;

import dev.rpcparallel.api.annotation.API;
import static java.util.Objects.requireNonNull;

/**
 * The unit a {@link Transport} carries: a kind, the call it belongs to, the function it is
 * about, and an opaque payload encoded by the runtime.
 *
 * @param kind what the frame carries
 * @param callId the call or stream this frame belongs to; 0 for connection-level frames
 * @param functionId the function called (on {@link FrameKind#CALL}); 0 otherwise
 * @param payload the encoded argument, result or control message; never {@code null}
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record Frame(FrameKind kind, long callId, int functionId, byte[] payload) {
    private static final byte[] EMPTY = new byte[0];

    public Frame {
        requireNonNull(kind, "kind");
        requireNonNull(payload, "payload");
    }

    /** A connection-level frame: call id 0, function id 0. */
    public static Frame control(FrameKind kind, byte[] payload) {
        return new Frame(kind, 0, 0, payload);
    }

    /** An empty payload. */
    public static byte[] noPayload() {
        return EMPTY;
    }

    @Override
    public String toString() {
        return kind + "(call " + callId + ", function " + functionId + ", " + payload.length + " bytes)";
    }
}
