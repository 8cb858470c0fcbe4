package dev.rpcparallel.transport.thrift;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.FrameHandler;
import dev.rpcparallel.spi.transport.FrameKind;
import dev.rpcparallel.transport.thrift.wire.WireFrame;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.transport.TIOStreamTransport;
import org.apache.thrift.transport.TMemoryInputTransport;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * A {@link FrameChannel} over one TCP connection: every frame is a {@link WireFrame} encoded with
 * the Thrift compact protocol, in a Thrift framed-transport frame (a 4-byte big-endian length,
 * then the struct).
 *
 * <p>Reading: one daemon thread per channel reads each frame's length prefix, checks it against
 * the live frame size limit ({@link FrameLimits}), reads the frame whole into a reused buffer,
 * decodes it with the generated {@code WireFrame.read} from an in-memory transport over that
 * frame alone (so a malformed frame can never read into the next one), and hands it to the
 * handler with its payload as a slice of that buffer
 * ({@link FrameHandler#onFrame(FrameKind, long, int, byte[], int, int)}): the payload is not
 * copied unless the handler keeps it. A handler may let another thread read on ({@link #handOffReading()}).
 *
 * <p>Writing: {@link #send} computes the frame's exact encoded size, refuses it when it is over
 * the limit, then, holding the write lock, writes the length prefix and the struct (with the
 * generated {@code WireFrame.write}) straight into a buffered socket stream and flushes, unless the
 * sender asks it not to ({@link #send(Frame, boolean)}: it has more frames to write; the reading
 * thread then flushes whatever is left once it finds no more input to read). This is
 * byte for byte what a {@code TFramedTransport} writes, without its copy of the whole frame into
 * a growing buffer that it then shrinks again (which, for a 64 MiB payload, costs more than
 * 128 MiB of garbage per frame).
 */
final class ThriftFrameChannel implements FrameChannel {

    private static final Logger LOG = LogManager.getLogger(ThriftFrameChannel.class);

    /** The size of the socket streams' buffers. */
    static final int BUFFER_SIZE = 64 * 1024;

    private static final byte[] NOTHING = new byte[0];
    /** Frames up to this size are read into a buffer kept from frame to frame. */
    static final int RETAINED_FRAME_BUFFER = 512 * 1024;

    private final Socket socket;
    private final String remoteAddress;
    private final FrameLimits limits;

    // Reading; used by the reader thread only.
    private final BufferedInputStream in;
    /** The reused buffer of frames read; grows up to {@link #RETAINED_FRAME_BUFFER}. */
    private byte[] frameBuffer = new byte[4096];
    private final TMemoryInputTransport frameIn;
    private final TCompactProtocol frameProtocol;
    private final WireFrame inFrame = new WireFrame();
    private final byte[] inHeader = new byte[4];
    /** The kind of the frame just decoded. */
    private FrameKind inKind;
    /** The payload of the frame just decoded: a slice of the frame buffer, valid until the next read. */
    private byte[] inPayload = NOTHING;
    private int inPayloadOffset;
    private int inPayloadLength;

    // Writing; used under writeLock only.
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BufferedOutputStream out;
    private final OutputTransport outTransport;
    private final TCompactProtocol outProtocol;
    private final WireFrame outFrame = new WireFrame();
    private final byte[] outHeader = new byte[4];
    /** Whether frames were written since the last flush; written under writeLock. */
    private volatile boolean unflushed;

    /** Which reading thread reads: a thread whose generation is not this one stops. */
    private volatile int readerGeneration;
    private final ReentrantLock handOffLock = new ReentrantLock();

    private final AtomicBoolean started = new AtomicBoolean();
    /** Set once, by whatever closes the channel first; holds the cause given to the handler. */
    private final AtomicReference<Closure> closure = new AtomicReference<>();
    private final AtomicBoolean handlerNotified = new AtomicBoolean();

    /** Why the channel closed: {@code cause} is {@code null} for {@link #close()}. */
    private record Closure(Throwable cause) {}

    /**
     * Wraps a connected socket. The caller has set the socket's options.
     *
     * @param maxFrameSize the largest frame read from the peer and sent to it, in bytes
     */
    ThriftFrameChannel(Socket socket, int maxFrameSize) throws IOException {
        this.socket = requireNonNull(socket, "socket");
        this.remoteAddress = ThriftAddress.format(socket.getInetAddress(), socket.getPort());
        this.limits = new FrameLimits(maxFrameSize);
        try {
            this.in = new BufferedInputStream(socket.getInputStream(), BUFFER_SIZE);
            // The frame is already bounded by the framed transport: decoding it needs no limit
            // of its own beyond the frame's end, which the in-memory transport enforces.
            TConfiguration decoding = new TConfiguration(Integer.MAX_VALUE, Integer.MAX_VALUE, FrameLimits.RECURSION_LIMIT);
            this.frameIn = new TMemoryInputTransport(decoding, NOTHING);
            this.frameProtocol = new TCompactProtocol(frameIn);

            this.out = new BufferedOutputStream(socket.getOutputStream(), BUFFER_SIZE);
            this.outTransport = new OutputTransport(out);
            this.outProtocol = new TCompactProtocol(outTransport);
        } catch (TTransportException e) {
            throw new IOException("cannot set up a Thrift channel to " + remoteAddress, e);
        }
    }

    @Override
    public void start(FrameHandler handler) {
        requireNonNull(handler, "handler");
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("channel to " + remoteAddress + " already started");
        }
        this.handler = handler;
        try {
            startReader(0);
        } catch (OutOfMemoryError e) {
            // No thread to read with ("unable to create native thread"): this channel cannot live.
            closeWith(e);
            handler.onClosed(e);
            throw e;
        }
    }

    private volatile FrameHandler handler;

    private void startReader(int generation) {
        Thread reader = new Thread(() -> readLoop(handler, generation), "rpc-parallel-read-thrift-" + remoteAddress
                + (generation == 0 ? "" : "-" + generation));
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public boolean canHandOffReading() {
        return true;
    }

    @Override
    public void handOffReading() {
        handOffLock.lock();
        try {
            int next = readerGeneration + 1;
            readerGeneration = next;
            startReader(next);
        } finally {
            handOffLock.unlock();
        }
    }

    @Override
    public void send(Frame frame) throws IOException {
        send(frame, true);
    }

    @Override
    public void send(Frame frame, boolean flush) throws IOException {
        requireNonNull(frame, "frame");
        send(frame.kind(), frame.callId(), frame.functionId(), frame.payload(), 0, frame.payload().length, flush);
    }

    @Override
    public void send(FrameKind kind, long callId, int functionId, byte[] payload, int offset, int length,
            boolean flush) throws IOException {
        requireNonNull(kind, "kind");
        requireNonNull(payload, "payload");
        java.util.Objects.checkFromIndexSize(offset, length, payload.length);
        long size = WireFrames.encodedSize(kind, callId, functionId, length);
        int limit = limits.getMaxFrameSize();
        if (size > limit) {
            throw new IllegalArgumentException(
                    "frame " + kind + "(call " + callId + ", function " + functionId + ", " + length + " bytes) to "
                            + remoteAddress + " is " + size
                            + " bytes encoded, over the maximum frame size of " + limit + " bytes");
        }
        writeLock.lock();
        try {
            checkOpen();
            write(kind, callId, functionId, ByteBuffer.wrap(payload, offset, length), (int) size, flush);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void flush() throws IOException {
        writeLock.lock();
        try {
            checkOpen();
            flushHeld();
        } finally {
            writeLock.unlock();
        }
    }

    /** Flushes what is buffered; holds the write lock. */
    private void flushHeld() throws IOException {
        if (!unflushed) {
            return;
        }
        try {
            out.flush();
            unflushed = false;
        } catch (IOException | RuntimeException e) {
            IOException failure = writeFailure(e);
            closeWith(failure);
            throw failure;
        }
    }

    /** Writes one frame, and flushes if asked; holds the write lock. */
    private void write(FrameKind kind, long callId, int functionId, ByteBuffer payload, int size, boolean flush)
            throws IOException {
        try {
            TFramedTransport.encodeFrameSize(size, outHeader);
            out.write(outHeader);
            outFrame.kind = WireFrames.toWire(kind);
            outFrame.setCallId(callId);
            outFrame.setFunctionId(functionId);
            // Assigned directly: the generated setter would copy the payload.
            outFrame.payload = payload;
            outTransport.payload = payload;
            outFrame.write(outProtocol);
            unflushed = true;
            if (flush) {
                out.flush();
                unflushed = false;
            }
        } catch (IOException | TException | RuntimeException e) {
            // Part of a frame may have been written: the stream cannot be used any more.
            IOException failure = writeFailure(e);
            closeWith(failure);
            throw failure;
        } finally {
            outFrame.payload = null;
            outTransport.payload = null;
        }
    }

    @Override
    public void setMaxFrameSize(int bytes) {
        limits.setMaxFrameSize(bytes);
    }

    /** The connection, for tests. */
    Socket socket() {
        return socket;
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public void close() {
        // The handler hears of it from the reader thread, after any frame it is handing over; if
        // start() has not been called yet, the reader it starts finds the channel closed.
        if (closeWith(null)) {
            LOG.debug("Closed channel to {}", remoteAddress);
        }
    }

    @Override
    public String toString() {
        return "ThriftFrameChannel[" + remoteAddress + (closure.get() == null ? "" : ", closed") + "]";
    }

    /** Records why the channel closes and closes the socket; false if it was already closed. */
    private boolean closeWith(Throwable cause) {
        if (!closure.compareAndSet(null, new Closure(cause))) {
            return false;
        }
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("Closing the socket to {} failed", remoteAddress, e);
        }
        return true;
    }

    private void checkOpen() throws IOException {
        Closure closed = closure.get();
        if (closed != null) {
            IOException e = new IOException("channel to " + remoteAddress + " is closed");
            if (closed.cause() != null) {
                e.initCause(closed.cause());
            }
            throw e;
        }
    }

    private IOException writeFailure(Exception e) {
        Closure closed = closure.get();
        if (closed != null) {
            // Closed under our feet: report that rather than the socket error it caused.
            IOException failure = new IOException("channel to " + remoteAddress + " is closed", e);
            if (closed.cause() != null) {
                failure.addSuppressed(closed.cause());
            }
            return failure;
        }
        if (e instanceof IOException io) {
            return io;
        }
        if (e instanceof TTransportException && e.getCause() instanceof IOException io) {
            return io;
        }
        return new IOException("sending to " + remoteAddress + " failed", e);
    }

    // ---------------------------------------------------------------- reading

    private void readLoop(FrameHandler handler, int generation) {
        LOG.debug("Reading from {}", remoteAddress);
        try {
            while (closure.get() == null) {
                if (unflushed && in.available() == 0) {
                    // Nothing more to read for now: what was answered without a flush goes out.
                    flushQuietly();
                }
                readFrame();
                if (closure.get() != null) {
                    break;
                }
                // The payload goes to the handler as a slice of the frame buffer: no copy here.
                handler.onFrame(inKind, inFrame.callId, inFrame.functionId, inPayload, inPayloadOffset,
                        inPayloadLength);
                if (generation != readerGeneration) {
                    // Another thread reads on (handOffReading); this one was kept by the handler.
                    // The frame state (inPayload and the rest) is that thread's now: leave it alone.
                    flushQuietly();
                    return;
                }
                inPayload = NOTHING;
            }
        } catch (IOException e) {
            if (closeWith(e)) {
                if (e instanceof EOFException) {
                    LOG.debug("Channel to {} closed by the peer: {}", remoteAddress, e.getMessage());
                } else {
                    LOG.warn("Closing channel to {}: {}", remoteAddress, e.toString());
                }
            }
        } catch (RuntimeException | Error e) {
            // A failing handler, or a frame too large for this heap: either way the channel is done.
            if (closeWith(e)) {
                LOG.error("Closing channel to {}", remoteAddress, e);
            }
        } finally {
            if (generation == readerGeneration) {
                notifyClosed(handler);
            }
        }
    }

    private void flushQuietly() {
        writeLock.lock();
        try {
            if (closure.get() == null) {
                flushHeld();
            }
        } catch (IOException e) {
            // The channel is closed; the reading thread reports it.
        } finally {
            writeLock.unlock();
        }
    }

    private void notifyClosed(FrameHandler handler) {
        if (!handlerNotified.compareAndSet(false, true)) {
            return;
        }
        Closure closed = closure.get();
        try {
            handler.onClosed(closed == null ? null : closed.cause());
        } catch (RuntimeException e) {
            LOG.error("Frame handler of the channel to {} failed on close", remoteAddress, e);
        }
    }

    /**
     * Reads and decodes the next frame: its length prefix, then the whole frame into a buffer
     * reused from frame to frame (frames up to {@link #RETAINED_FRAME_BUFFER} bytes, which covers
     * every piece a {@code FrameWriter} sends), decoded in place into {@link #inFrame} and
     * {@link #inKind}; the payload is left where it is, a slice of that buffer
     * ({@link #inPayload}, {@link #inPayloadOffset}, {@link #inPayloadLength}), which the handler
     * copies if it keeps it.
     */
    private void readFrame() throws IOException {
        int size = readNextFrameSize();
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
        decode(buffer, 0, size);
    }

    /**
     * Reads the next frame's length prefix, telling a clean end of the stream from a truncated
     * frame, and refuses a frame over the maximum frame size, naming the size and the limit.
     */
    private int readNextFrameSize() throws IOException {
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
        int limit = limits.getMaxFrameSize();
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

    private void decode(byte[] buffer, int offset, int length) throws ProtocolException {
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
        inKind = WireFrames.fromWire(wire.kind);
        ByteBuffer payload = wire.payload;
        wire.payload = null;
        if (payload == null || !payload.hasRemaining()) {
            inPayload = NOTHING;
            inPayloadOffset = 0;
            inPayloadLength = 0;
        } else {
            // The in-memory transport hands a binary over as a view of the frame buffer.
            inPayload = payload.array();
            inPayloadOffset = payload.arrayOffset() + payload.position();
            inPayloadLength = payload.remaining();
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
     * The socket's buffered output stream as a Thrift transport. The compact protocol writes
     * binaries through {@link #write(ByteBuffer)}, which {@code TTransport} implements by copying
     * the whole buffer into a new array; this writes it through a reused chunk instead, so a
     * payload is never copied whole.
     */
    private static final class OutputTransport extends TIOStreamTransport {
        private final byte[] chunk = new byte[BUFFER_SIZE];
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
