package dev.rpcparallel.spi.transport;

/** What a {@link Frame} carries. The numbers are fixed: they are the wire values. */
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
    ERROR(7);

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
