package dev.rpcparallel.spi.transport;

import dev.rpcparallel.api.annotation.API;

/** Receives what a {@link FrameChannel} reads. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface FrameHandler {

    /**
     * A frame arrived. Runs on the channel's reading thread: hand long work to another thread.
     * While this has not returned, the channel reads nothing more, so a handler that waits here
     * (for memory to be released) pushes back on the sender through the transport's own flow
     * control (a full TCP window).
     */
    void onFrame(Frame frame);

    /**
     * A frame arrived whose payload is bytes {@code offset} to {@code offset + length} of
     * {@code buffer}, a buffer the channel reuses for the next frame once this returns: a handler
     * that keeps the payload past this call must copy it. A channel that reads frames into a
     * buffer of its own calls this instead of {@link #onFrame(Frame)}, so that a handler that
     * only copies the payload elsewhere (joining the pieces of a large payload) needs no copy of
     * its own first. Runs on the channel's reading thread.
     *
     * <p>The default copies the payload into a {@link Frame} and calls {@link #onFrame(Frame)}.
     */
    default void onFrame(FrameKind kind, long callId, int functionId, byte[] buffer, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, buffer.length);
        byte[] payload = length == 0
                ? Frame.noPayload()
                : java.util.Arrays.copyOfRange(buffer, offset, offset + length);
        onFrame(new Frame(kind, callId, functionId, payload));
    }

    /**
     * The channel is closed: by {@link FrameChannel#close()} ({@code cause} is {@code null}), by
     * the peer (an {@link java.io.EOFException}), by a read error or an oversize or malformed
     * frame (the cause says which), or by this handler's {@code onFrame} throwing (that
     * exception). Called once, after the frame being handled, by the current reading thread.
     */
    void onClosed(Throwable cause);
}
