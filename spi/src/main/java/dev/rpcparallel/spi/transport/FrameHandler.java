package dev.rpcparallel.spi.transport;

/** Receives what a {@link FrameChannel} reads. */
public interface FrameHandler {

    /** A frame arrived. Runs on the channel's reading thread: hand long work to another thread. */
    void onFrame(Frame frame);

    /**
     * The channel is closed: by {@link FrameChannel#close()} ({@code cause} is {@code null}), by
     * the peer (an {@link java.io.EOFException}), or by a read error or an oversize or malformed
     * frame (the cause says which). Called once.
     */
    void onClosed(Throwable cause);
}
