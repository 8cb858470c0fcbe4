package dev.rpcparallel.transport.thrift;

import dev.rpcparallel.spi.transport.FrameKind;
import dev.rpcparallel.transport.stream.FrameCodec;
import dev.rpcparallel.transport.stream.InboundFrame;
import dev.rpcparallel.transport.stream.StreamFrameChannel;
import dev.rpcparallel.transport.thrift.wire.WireFrame;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.function.IntSupplier;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.transport.TIOStreamTransport;
import org.apache.thrift.transport.TMemoryInputTransport;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * The Thrift framing of frames on a byte stream: every frame is a {@link WireFrame} encoded with
 * the Thrift compact protocol, in a Thrift framed-transport frame (a 4-byte big-endian length,
 * then the struct). Any stream transport that speaks the project's wire protocol uses it with a
 * {@link StreamFrameChannel} ({@link #FACTORY}).
 *
 * <p>Reading: the length prefix is checked against the live frame size limit (a TLS record where
 * a length was expected is named as such), the frame is read whole into a reused buffer and
 * decoded with the generated {@code WireFrame.read} from an in-memory transport over that frame
 * alone (so a malformed frame can never read into the next one); the payload is left in place,
 * a slice of that buffer.
 *
 * <p>Writing: the length prefix and the struct (with the generated {@code WireFrame.write}) go
 * straight into the channel's buffered stream. This is byte for byte what a
 * {@code TFramedTransport} writes, without its copy of the whole frame into a growing buffer
 * that it then shrinks again (which, for a 64 MiB payload, costs more than 128 MiB of garbage
 * per frame).
 */
public final class ThriftFrameCodec implements FrameCodec {

    /** Opens the codec of a connection; pass it to {@link StreamFrameChannel}. */
    public static final FrameCodec.Factory FACTORY = ThriftFrameCodec::new;

    /** Frames up to this size are read into a buffer kept from frame to frame. */
    static final int RETAINED_FRAME_BUFFER = 512 * 1024;

    private static final byte[] NOTHING = new byte[0];

    private final String remoteAddress;

    // Reading; used by the reading thread only.
    private final InputStream in;
    /** The reused buffer of frames read; grows up to {@link #RETAINED_FRAME_BUFFER}. */
    private byte[] frameBuffer = new byte[4096];
    private final TMemoryInputTransport frameIn;
    private final TCompactProtocol frameProtocol;
    private final WireFrame inFrame = new WireFrame();
    private final byte[] inHeader = new byte[4];

    // Writing; used under the channel's write lock only.
    private final OutputStream out;
    private final OutputTransport outTransport;
    private final TCompactProtocol outProtocol;
    private final WireFrame outFrame = new WireFrame();
    private final byte[] outHeader = new byte[4];

    private ThriftFrameCodec(InputStream in, OutputStream out, String remoteAddress) throws IOException {
        this.in = in;
        this.out = out;
        this.remoteAddress = remoteAddress;
        try {
            // The frame is already bounded by the framed transport: decoding it needs no limit
            // of its own beyond the frame's end, which the in-memory transport enforces.
            TConfiguration decoding = new TConfiguration(Integer.MAX_VALUE, Integer.MAX_VALUE, FrameLimits.RECURSION_LIMIT);
            this.frameIn = new TMemoryInputTransport(decoding, NOTHING);
            this.frameProtocol = new TCompactProtocol(frameIn);
            this.outTransport = new OutputTransport(out);
            this.outProtocol = new TCompactProtocol(outTransport);
        } catch (TTransportException e) {
            throw new IOException("cannot set up a Thrift channel to " + remoteAddress, e);
        }
    }

    @Override
    public long encodedSize(FrameKind kind, long callId, int functionId, int payloadLength) {
        return WireFrames.encodedSize(kind, callId, functionId, payloadLength);
    }

    @Override
    public void write(FrameKind kind, long callId, int functionId, byte[] payload, int offset, int length,
            int encodedSize) throws IOException {
        ByteBuffer slice = ByteBuffer.wrap(payload, offset, length);
        try {
            TFramedTransport.encodeFrameSize(encodedSize, outHeader);
            out.write(outHeader);
            outFrame.kind = WireFrames.toWire(kind);
            outFrame.setCallId(callId);
            outFrame.setFunctionId(functionId);
            // Assigned directly: the generated setter would copy the payload.
            outFrame.payload = slice;
            outTransport.payload = slice;
            outFrame.write(outProtocol);
        } catch (TException e) {
            if (e instanceof TTransportException && e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("sending to " + remoteAddress + " failed", e);
        } finally {
            outFrame.payload = null;
            outTransport.payload = null;
        }
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
        int size = TFramedTransport.decodeFrameSize(inHeader);
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
        WireFrame wire = inFrame;
        wire.clear();
        wire.unsetCallId();
        wire.unsetFunctionId();
        frameIn.reset(buffer, offset, length);
        frameProtocol.reset();
        try {
            wire.read(frameProtocol);
        } catch (TException | RuntimeException e) {
            throw malformed(buffer, offset, length, e);
        }
        if (frameIn.getBytesRemainingInBuffer() != 0) {
            throw new ProtocolException("malformed frame from " + remoteAddress + ": "
                    + frameIn.getBytesRemainingInBuffer() + " bytes after the end of the " + length + "-byte frame's struct");
        }
        FrameKind kind = WireFrames.fromWire(wire.kind);
        ByteBuffer payload = wire.payload;
        wire.payload = null;
        if (payload == null || !payload.hasRemaining()) {
            into.set(kind, wire.callId, wire.functionId, NOTHING, 0, 0);
        } else {
            // The in-memory transport hands a binary over as a view of the frame buffer.
            into.set(kind, wire.callId, wire.functionId, payload.array(), payload.arrayOffset() + payload.position(),
                    payload.remaining());
        }
    }

    private ProtocolException malformed(byte[] buffer, int offset, int length, Exception e) {
        String what;
        Integer rawKind = WireFrames.rawKind(buffer, offset, length);
        if (rawKind != null && dev.rpcparallel.transport.thrift.wire.FrameKind.findByValue(rawKind) == null) {
            what = "unknown frame kind " + rawKind + " from " + remoteAddress;
        } else if (length == 0) {
            what = "malformed frame from " + remoteAddress + ": the frame is empty";
        } else if (e instanceof TTransportException) {
            // The in-memory transport ran out: a length or a field went past the frame's end.
            what = "malformed " + length + "-byte frame from " + remoteAddress + ": its struct runs past the frame's end";
        } else {
            what = "malformed " + length + "-byte frame from " + remoteAddress + ": " + e.getMessage();
        }
        ProtocolException malformed = new ProtocolException(what);
        malformed.initCause(e);
        return malformed;
    }

    /**
     * The buffered output stream as a Thrift transport. The compact protocol writes binaries
     * through {@link #write(ByteBuffer)}, which {@code TTransport} implements by copying the
     * whole buffer into a new array; this writes it through a reused chunk instead, so a payload
     * is never copied whole.
     */
    private static final class OutputTransport extends TIOStreamTransport {
        private final byte[] chunk = new byte[StreamFrameChannel.BUFFER_SIZE];
        /** The payload of the frame being written, backed by an array; null between frames. */
        ByteBuffer payload;

        OutputTransport(OutputStream out) throws TTransportException {
            super(new TConfiguration(), out);
        }

        @Override
        public int write(ByteBuffer buffer) throws TTransportException {
            int length = buffer.remaining();
            ByteBuffer source = payload;
            if (source != null && source.remaining() == length) {
                // The frame's payload (the protocol hands over a read-only view of it, which has
                // no accessible array): written straight from the sender's array, and a large
                // slice goes to the socket without a copy into the buffered stream.
                write(source.array(), source.arrayOffset() + source.position(), length);
                buffer.position(buffer.limit());
                return length;
            }
            while (buffer.hasRemaining()) {
                int n = Math.min(buffer.remaining(), chunk.length);
                buffer.get(chunk, 0, n);
                write(chunk, 0, n);
            }
            return length;
        }
    }
}
