package dev.rpcparallel.launcher.protocol;

import dev.rpcparallel.spi.transport.Frame;

/**
 * A frame queued by a {@link FrameWriter}: how much of its payload has gone out in chunks, and what to run once it
 * has gone. Its payload on the wire is {@code head} followed by the frame's payload: the head
 * goes out as a piece of its own, so the frame's array is written as it is ({@link BinaryPayloads}).
 */
final class QueuedFrame {
    public final Frame frame;
    public final byte[] head;
    public final Runnable written;
    /** How many bytes of the head and then the payload have gone out. */
    public int offset;

    QueuedFrame(Frame frame, byte[] head, Runnable written) {
        this.frame = frame;
        this.head = head;
        this.written = written;
    }

    /** The size of the payload on the wire: the head and the frame's payload. */
    public int size() {
        return head.length + frame.payload().length;
    }
}
