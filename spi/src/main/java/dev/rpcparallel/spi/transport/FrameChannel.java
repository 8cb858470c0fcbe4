package dev.rpcparallel.spi.transport;

import dev.rpcparallel.api.annotation.API;
import java.io.IOException;

/**
 * One connection carrying frames both ways. {@link #send} may be called from any number of
 * threads; each frame is written whole. Frames received are given, in order, to the handler
 * passed to {@link #start}, on one reading thread per channel. A handler that does not return
 * stops the reading, and so, once the bytes in between are full (a bounded number), stops
 * {@code send} on the peer: memory never grows without bound for a slow reader.
 *
 * <p>The contracts, the optional ones included, are tested by the compliance kit
 * ({@code rpc-parallel-transport-testkit}). A channel over a byte stream gets all of them from
 * {@code StreamFrameChannel} ({@code rpc-parallel-transport-stream}).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface FrameChannel extends AutoCloseable {

    /**
     * Starts reading. Called once. After {@link FrameHandler#onClosed} the handler gets
     * nothing more.
     *
     * @throws OutOfMemoryError if no thread can be started to read (a process or container
     *     limit on threads); the channel is then closed and the handler has been told
     *     ({@link FrameHandler#onClosed}), so that a listener can refuse this one connection and
     *     go on accepting
     */
    void start(FrameHandler handler);

    /**
     * Sends one frame.
     *
     * @throws IOException if the channel is closed or the write fails
     * @throws IllegalArgumentException if the frame exceeds the maximum frame size
     */
    void send(Frame frame) throws IOException;

    /**
     * Sends one frame, pushing it to the peer only if {@code flush}: otherwise it may wait in a
     * buffer until the next flushing send, {@link #flush()}, or the moment the reading thread
     * finds no more input from the peer (after {@link FrameHandler#onFrame} returns). Lets a
     * sender with more frames queued write them with one system call. The default flushes every
     * frame.
     *
     * @throws IOException if the channel is closed or the write fails
     * @throws IllegalArgumentException if the frame exceeds the maximum frame size
     */
    default void send(Frame frame, boolean flush) throws IOException {
        send(frame);
    }

    /**
     * Sends a frame whose payload is {@code length} bytes of {@code payload} from {@code offset},
     * without copying them out first (a piece of a large payload).
     */
    default void send(FrameKind kind, long callId, int functionId, byte[] payload, int offset, int length,
            boolean flush) throws IOException {
        send(new Frame(kind, callId, functionId, java.util.Arrays.copyOfRange(payload, offset, offset + length)),
                flush);
    }

    /** Pushes what unflushed sends left in a buffer to the peer. */
    default void flush() throws IOException {}

    /**
     * Whether {@link #handOffReading()} is supported: a handler may then run long work on the
     * reading thread and, if it takes too long, let a new thread read on.
     */
    default boolean canHandOffReading() {
        return false;
    }

    /**
     * Starts a new reading thread that reads the frames after the one being handled; the
     * thread now in {@link FrameHandler#onFrame} stops reading when that call returns, and on
     * its way out flushes what it sent unflushed (the new reading thread may be waiting for
     * input already). From this call on, the payload buffer handed to that {@code onFrame} may
     * be reused by the new reading thread: the handler must have copied what it keeps. To be
     * called, from any thread, only while the reading thread is inside {@code onFrame} and
     * cannot return from it before this method has returned (the handler guarantees that).
     *
     * @throws UnsupportedOperationException unless {@link #canHandOffReading()}
     */
    default void handOffReading() {
        throw new UnsupportedOperationException(getClass().getName() + " cannot hand off reading");
    }

    /** Sets the largest frame accepted from the peer from now on, in bytes. */
    void setMaxFrameSize(int bytes);

    /** The peer's address, for logs and errors. */
    String remoteAddress();

    /** Closes the channel; the handler's {@code onClosed} is called once. Idempotent. */
    @Override
    void close();
}
