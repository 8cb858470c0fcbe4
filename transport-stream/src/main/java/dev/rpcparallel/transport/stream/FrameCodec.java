package dev.rpcparallel.transport.stream;

import dev.rpcparallel.spi.transport.FrameKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.IntSupplier;

/**
 * How frames are laid out on one connection's byte stream: the framing a transport brings to a
 * {@link StreamFrameChannel}. One codec serves one channel; {@link #read} is called by one
 * reading thread at a time, {@link #encodedSize} by any thread, {@link #write} under the
 * channel's write lock.
 */
public interface FrameCodec {

    /** Opens the codec of one connection over the channel's buffered streams. */
    @FunctionalInterface
    interface Factory {
        FrameCodec open(InputStream input, OutputStream output, String remoteAddress) throws IOException;
    }

    /**
     * The size of a frame with these fields encoded, in bytes: what the frame size limit limits.
     * A frame over the limit is refused before anything of it is written.
     */
    long encodedSize(FrameKind kind, long callId, int functionId, int payloadLength);

    /**
     * Writes one frame of {@code encodedSize} bytes (as {@link #encodedSize} said) to the output
     * stream, without flushing it. A failure may leave part of the frame written; the channel is
     * then closed.
     */
    void write(FrameKind kind, long callId, int functionId, byte[] payload, int offset, int length, int encodedSize)
            throws IOException;

    /**
     * Reads the next frame whole into {@code into}. The limit is read once the frame's size is
     * known (so that a change made while the reader waited applies to the frame that comes):
     * a frame over it must be refused before its memory is allocated.
     *
     * @throws java.io.EOFException if the stream ends; its message tells a clean end (between
     *     frames) from a truncated frame
     * @throws IOException (a {@link java.net.ProtocolException} for bytes that are not a valid
     *     frame, naming what is wrong) if the frame cannot be read; the channel is then closed
     */
    void read(IntSupplier maxFrameSize, InboundFrame into) throws IOException;
}
