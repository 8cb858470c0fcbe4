package dev.rpcparallel.transport.local;

import dev.rpcparallel.spi.transport.FrameKind;
import dev.rpcparallel.transport.stream.FrameCodec;
import dev.rpcparallel.transport.stream.InboundFrame;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.function.IntSupplier;

/**
 * The framing of the in-JVM transport: a 4-byte big-endian length, then the frame: its kind
 * (one byte, the kind's wire value), call id (8 bytes), function id (4 bytes) and payload. The
 * length, which the frame size limit limits, counts the frame without the length itself.
 */
final class LocalFrameCodec implements FrameCodec {
    /** Kind, call id and function id. */
    static final int HEADER = 1 + 8 + 4;
    /** Frames up to this size are read into a buffer kept from frame to frame. */
    private static final int RETAINED_FRAME_BUFFER = 512 * 1024;

    private final InputStream in;
    private final OutputStream out;
    private final String remoteAddress;
    private final byte[] outHeader = new byte[4 + HEADER];
    private final byte[] inLength = new byte[4];
    private byte[] frameBuffer = new byte[4096];

    LocalFrameCodec(InputStream in, OutputStream out, String remoteAddress) {
        this.in = in;
        this.out = out;
        this.remoteAddress = remoteAddress;
    }

    @Override
    public long encodedSize(FrameKind kind, long callId, int functionId, int payloadLength) {
        return (long) HEADER + payloadLength;
    }

    @Override
    public void write(FrameKind kind, long callId, int functionId, byte[] payload, int offset, int length,
            int encodedSize) throws IOException {
        ByteBuffer.wrap(outHeader).putInt(encodedSize).put((byte) kind.wireValue()).putLong(callId).putInt(functionId);
        out.write(outHeader);
        out.write(payload, offset, length);
    }

    @Override
    public void read(IntSupplier maxFrameSize, InboundFrame into) throws IOException {
        if (!readFully(inLength, 0, 4, true)) {
            throw new EOFException("connection closed by " + remoteAddress);
        }
        int size = ByteBuffer.wrap(inLength).getInt();
        int limit = maxFrameSize.getAsInt();
        if (size < 0 || size > limit) {
            throw new ProtocolException("frame from " + remoteAddress + " of " + Integer.toUnsignedString(size)
                    + " bytes is over the maximum frame size of " + limit + " bytes");
        }
        if (size < HEADER) {
            throw new ProtocolException("malformed frame from " + remoteAddress + ": " + size
                    + " bytes, shorter than a frame's " + HEADER + "-byte header");
        }
        byte[] buffer;
        if (size <= RETAINED_FRAME_BUFFER) {
            if (frameBuffer.length < size) {
                frameBuffer = new byte[Math.max(size, Math.min(RETAINED_FRAME_BUFFER, 2 * frameBuffer.length))];
            }
            buffer = frameBuffer;
        } else {
            buffer = new byte[size];
        }
        readFully(buffer, 0, size, false);
        ByteBuffer header = ByteBuffer.wrap(buffer, 0, HEADER);
        int rawKind = header.get() & 0xff;
        FrameKind kind;
        try {
            kind = FrameKind.fromWireValue(rawKind);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("unknown frame kind " + rawKind + " from " + remoteAddress);
        }
        into.set(kind, header.getLong(), header.getInt(), buffer, HEADER, size - HEADER);
    }

    /** Reads exactly {@code length} bytes; false if the stream ended before the first, when allowed. */
    private boolean readFully(byte[] buffer, int offset, int length, boolean endAllowed) throws IOException {
        int got = 0;
        while (got < length) {
            int n = in.read(buffer, offset + got, length - got);
            if (n < 0) {
                if (got == 0 && endAllowed) {
                    return false;
                }
                throw new EOFException("connection closed by " + remoteAddress + " in the middle of a frame");
            }
            got += n;
        }
        return true;
    }
}
