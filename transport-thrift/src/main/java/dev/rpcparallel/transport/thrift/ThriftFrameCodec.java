package dev.rpcparallel.transport.thrift;

import dev.rpcparallel.spi.transport.FrameKind;
import dev.rpcparallel.transport.stream.FrameCodec;
import dev.rpcparallel.transport.stream.InboundFrame;
import dev.rpcparallel.transport.stream.StreamFrameChannel;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.util.function.IntSupplier;

/**
 * The Thrift framing of frames on a byte stream: every frame is a {@code WireFrame} (see
 * {@code rpc_parallel.thrift}) encoded with the Thrift compact protocol, in a Thrift
 * framed-transport frame (a 4-byte big-endian length, then the struct). Any stream transport
 * that speaks the project's wire protocol uses it with a {@link StreamFrameChannel} ({@link
 * #FACTORY}). The struct is written and read by {@link WireFrames}, without libthrift.
 *
 * <p>Reading: the length prefix is checked against the live frame size limit (a TLS record where
 * a length was expected is named as such), the frame is read whole into a reused buffer and
 * decoded within that frame alone (so a malformed frame can never read into the next one); the
 * payload is left in place, a slice of that buffer.
 *
 * <p>Writing: the length prefix, the struct's fields and the payload go straight into the
 * channel's buffered stream (a large payload from the sender's array to the socket, without a
 * copy). This is byte for byte what libthrift's {@code TFramedTransport} and {@code
 * TCompactProtocol} write for the generated struct.
 */
public final class ThriftFrameCodec implements FrameCodec {

    /** Opens the codec of a connection; pass it to {@link StreamFrameChannel}. */
    public static final FrameCodec.Factory FACTORY = ThriftFrameCodec::new;

    /** Frames up to this size are read into a buffer kept from frame to frame. */
    static final int RETAINED_FRAME_BUFFER = 512 * 1024;

    private final String remoteAddress;

    // Reading; used by the reading thread only.
    private final InputStream in;
    /** The reused buffer of frames read; grows up to {@link #RETAINED_FRAME_BUFFER}. */
    private byte[] frameBuffer = new byte[4096];
    private final byte[] inHeader = new byte[4];

    // Writing; used under the channel's write lock only.
    private final OutputStream out;
    /** The length prefix and the struct up to the payload. */
    private final byte[] outHead = new byte[4 + WireFrames.MAX_HEAD_SIZE];

    private ThriftFrameCodec(InputStream in, OutputStream out, String remoteAddress) {
        this.in = in;
        this.out = out;
        this.remoteAddress = remoteAddress;
    }

    @Override
    public long encodedSize(FrameKind kind, long callId, int functionId, int payloadLength) {
        return WireFrames.encodedSize(kind, callId, functionId, payloadLength);
    }

    @Override
    public void write(FrameKind kind, long callId, int functionId, byte[] payload, int offset, int length,
            int encodedSize) throws IOException {
        outHead[0] = (byte) (encodedSize >>> 24);
        outHead[1] = (byte) (encodedSize >>> 16);
        outHead[2] = (byte) (encodedSize >>> 8);
        outHead[3] = (byte) encodedSize;
        int head = WireFrames.writeHead(outHead, 4, kind, callId, functionId, length);
        out.write(outHead, 0, head);
        out.write(payload, offset, length);
        out.write(WireFrames.STOP);
    }

    /**
     * Reads the next frame: its length prefix, then the whole frame into a buffer reused from
     * frame to frame (frames up to {@link #RETAINED_FRAME_BUFFER} bytes, which covers every piece
     * the runtime's frame writer sends), decoded in place; the payload is left where it is.
     */
    @Override
    public void read(IntSupplier maxFrameSize, InboundFrame into) throws IOException {
        int size = readNextFrameSize(maxFrameSize);
        byte[] buffer;
        if (size <= RETAINED_FRAME_BUFFER) {
            if (frameBuffer.length < size) {
                frameBuffer = new byte[Math.max(size, Math.min(RETAINED_FRAME_BUFFER, 2 * frameBuffer.length))];
            }
            buffer = frameBuffer;
        } else {
            buffer = new byte[size];
        }
        int got = 0;
        while (got < size) {
            int n = in.read(buffer, got, size - got);
            if (n < 0) {
                throw new EOFException("connection closed by " + remoteAddress + " in the middle of a frame");
            }
            got += n;
        }
        decode(buffer, 0, size, into);
    }

    /**
     * Reads the next frame's length prefix, telling a clean end of the stream from a truncated
     * frame, and refuses a frame over the maximum frame size, naming the size and the limit.
     */
    private int readNextFrameSize(IntSupplier maxFrameSize) throws IOException {
        int got = 0;
        while (got < inHeader.length) {
            int n = in.read(inHeader, got, inHeader.length - got);
            if (n < 0) {
                throw new EOFException(got == 0
                        ? "connection closed by " + remoteAddress
                        : "connection closed by " + remoteAddress + " in the middle of a frame header");
            }
            got += n;
        }
        int size = (inHeader[0] & 0xff) << 24 | (inHeader[1] & 0xff) << 16 | (inHeader[2] & 0xff) << 8 | (inHeader[3] & 0xff);
        int limit = maxFrameSize.getAsInt();
        if (size < 0 || size > limit) {
            if (looksLikeTlsRecord(inHeader)) {
                throw new ProtocolException(remoteAddress + " speaks TLS and this side does not (its first bytes are"
                        + " a TLS record, not a frame): give both sides the same TLS settings"
                        + " (RpcSettings.withTls)");
            }
            throw new ProtocolException("frame from " + remoteAddress + " of "
                    + Integer.toUnsignedString(size) + " bytes is over the maximum frame size of " + limit + " bytes");
        }
        return size;
    }

    /**
     * Whether four bytes read as a frame length are the start of a TLS record instead: a content
     * type from change_cipher_spec (20) to application_data (23), then the protocol version 3.0
     * to 3.4. Such a length is always far over any frame limit, so a peer speaking TLS to a plain
     * channel is told apart from a frame that is merely too large.
     */
    static boolean looksLikeTlsRecord(byte[] header) {
        return header[0] >= 20 && header[0] <= 23 && header[1] == 3 && header[2] >= 0 && header[2] <= 4;
    }

    private void decode(byte[] buffer, int offset, int length, InboundFrame into) throws ProtocolException {
        WireFrames.read(buffer, offset, length, remoteAddress, into);
    }
}
