package dev.rpcparallel.transport.stream;

import dev.rpcparallel.spi.transport.FrameKind;

/**
 * The frame a {@link FrameCodec} has just read, reused from frame to frame by one reading
 * thread: its payload is a slice of a buffer the codec may reuse for the next frame.
 */
public final class InboundFrame {
    private static final byte[] NOTHING = new byte[0];

    private FrameKind kind;
    private long callId;
    private int functionId;
    private byte[] buffer = NOTHING;
    private int offset;
    private int length;

    /** Sets the frame read; the payload is bytes {@code offset} to {@code offset + length} of {@code buffer}. */
    public void set(FrameKind kind, long callId, int functionId, byte[] buffer, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, buffer.length);
        this.kind = java.util.Objects.requireNonNull(kind, "kind");
        this.callId = callId;
        this.functionId = functionId;
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
    }

    /** Forgets the payload's buffer, so that a large one is not kept until the next frame. */
    void release() {
        buffer = NOTHING;
        offset = 0;
        length = 0;
    }

    public FrameKind kind() {
        return kind;
    }

    public long callId() {
        return callId;
    }

    public int functionId() {
        return functionId;
    }

    public byte[] buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }
}
