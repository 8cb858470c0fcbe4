package dev.rpcparallel.spi.transport;

import java.io.IOException;

/**
 * One connection carrying frames both ways. {@link #send} may be called from any number of
 * threads; each frame is written whole. Frames received are given, in order, to the handler
 * passed to {@link #start}, on one reading thread per channel.
 */
public interface FrameChannel extends AutoCloseable {

    /**
     * Starts reading. Called once. After {@link FrameHandler#onClosed} the handler gets
     * nothing more.
     */
    void start(FrameHandler handler);

    /**
     * Sends one frame.
     *
     * @throws IOException if the channel is closed or the write fails
     * @throws IllegalArgumentException if the frame exceeds the maximum frame size
     */
    void send(Frame frame) throws IOException;

    /** Sets the largest frame accepted from the peer from now on, in bytes. */
    void setMaxFrameSize(int bytes);

    /** The peer's address, for logs and errors. */
    String remoteAddress();

    /** Closes the channel; the handler's {@code onClosed} is called once. Idempotent. */
    @Override
    void close();
}
