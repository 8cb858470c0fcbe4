package dev.rpcparallel.spi.transport;

import dev.rpcparallel.api.annotation.API;

/** What a {@link Frame} carries. The numbers are fixed: they are the wire values. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum FrameKind {
    /** Client to server: opens the handshake. */
    HELLO(1),
    /** Server to client: proves the secret and challenges the client. */
    CHALLENGE(2),
    /** Client to server: proves the secret; carries the connection argument. */
    AUTH(3),
    /** Server to client: the connection is ready for calls. */
    READY(4),
    /** A request: {@code callId} chosen by the caller, {@code functionId} names the function. */
    CALL(5),
    /** The successful result of the call {@code callId}. */
    RESULT(6),
    /** The call {@code callId} (or, with call id 0, the connection) failed; the payload says why. */
    ERROR(7),
    /**
     * A piece of the payload of the next frame of call {@code callId} from the same side: a
     * large payload travels as CHUNK frames and a final frame of its own kind holding the last
     * piece, so that frames of other calls can be sent in between.
     * Its function id is the size of the whole payload.
     */
    CHUNK(8),
    /** One element of the stream {@code callId}: a pipe's element, or a reverse pipe's update. */
    ELEMENT(9),
    /** The stream {@code callId} ended normally: no more elements follow from this side. */
    END(10),
    /** The receiver of the stream {@code callId} takes that many more elements (the payload says how many). */
    CREDIT(11),
    /**
     * The caller cancels the call or stream {@code callId}: the producer stops, a running call is
     * told ({@code CallContext.isCancelled()}, its thread interrupted), and no answer is sent.
     */
    CANCEL(12),
    /**
     * Client to server, just before the {@link #CALL} of {@code callId} (before any of its
     * {@link #CHUNK}s): the call's deadline, as the time left in microseconds when it was sent
     * (the payload, an int64). A call without a deadline has no such frame.
     */
    DEADLINE(13);

    private final int wireValue;

    FrameKind(int wireValue) {
        this.wireValue = wireValue;
    }

    public int wireValue() {
        return wireValue;
    }

    /** The kind with this wire value. */
    public static FrameKind fromWireValue(int value) {
        for (FrameKind kind : values()) {
            if (kind.wireValue == value) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown frame kind " + value);
    }
}
