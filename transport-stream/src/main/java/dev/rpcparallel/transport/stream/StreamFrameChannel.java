package dev.rpcparallel.transport.stream;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.FrameHandler;
import dev.rpcparallel.spi.transport.FrameKind;
import java.io.EOFException;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A {@link FrameChannel} over one byte stream, with every contract of the SPI, the optional ones
 * included; the transport supplies the connection's streams ({@link StreamConnection}) and how
 * frames are laid out on them ({@link FrameCodec}).
 *
 * <p>Reading: one daemon thread per channel ({@code rpc-parallel-read-TRANSPORT-REMOTE}) reads
 * frame after frame with the codec and hands each to the handler as a slice of the codec's
 * buffer ({@link FrameHandler#onFrame(FrameKind, long, int, byte[], int, int)}). Before it reads
 * past what its buffer holds it flushes what sends left unflushed ({@link #send(Frame, boolean)}),
 * and it may watch the connection for a short time before it sleeps ({@link ReadingWatch}).
 * A handler may let a new thread read on ({@link #handOffReading()}): every reading thread has a
 * generation, and a thread whose generation is no longer the current one stops once its frame is
 * handled.
 *
 * <p>Writing: a frame's encoded size is checked against the live limit
 * ({@link #setMaxFrameSize}) before anything is written; frames are written whole under one
 * write lock into a buffered stream, flushed unless the sender asks otherwise. A write failure
 * closes the channel: part of a frame may be on the wire.
 *
 * <p>Closing: the first of {@link #close()}, the peer's end of stream, a read or write error,
 * or a handler failure records the cause and closes the connection; the handler hears of it once
 * ({@link FrameHandler#onClosed}), from the current reading thread, after the frame it is
 * handling ({@link ChannelClosure}).
 */
public final class StreamFrameChannel implements FrameChannel {

    /** Its logger, made at the first message: a process that never logs never starts Log4j. */
    private static final class Log {
        static final Logger LOG = LogManager.getLogger(StreamFrameChannel.class);
    }

    /**
     * The largest the stream buffers grow to, each way. They start at 8 KiB and grow only when
     * the frames need it ({@link FrameInput}, {@link FrameOutput}).
     */
    public static final int BUFFER_SIZE = 64 * 1024;

    private final StreamConnection connection;
    private final String remoteAddress;
    private final FrameInput in;
    private final FrameOutput out;
    private final FrameCodec codec;
    private volatile int maxFrameSize;
    /** {@link #maxFrameSize} as the codec reads it, at each frame (it may change between frames). */
    private final IntSupplier maxFrameSizeNow = () -> maxFrameSize;

    // Reading; used by the current reading thread only.
    private final InboundFrame inbound = new InboundFrame();

    private final ReentrantLock writeLock = new ReentrantLock();
    /** Whether frames sent without a flush may wait in the buffer; written under writeLock. */
    private volatile boolean unflushed;

    /** Which reading thread reads: a thread whose generation is not this one stops. */
    private volatile int readerGeneration;
    private final ReentrantLock handOffLock = new ReentrantLock();
    private volatile FrameHandler handler;

    private final AtomicBoolean started = new AtomicBoolean();
    /** Whether, and why, the channel closed. */
    private final ChannelClosure closure;

    /** The class of handler that reads through {@link #readFrameOfFirstClass}: set once per process. */
    private static final AtomicReference<Class<?>> FIRST_HANDLER_CLASS = new AtomicReference<>();

    /**
     * Wraps a connected stream.
     *
     * @param maxFrameSize the largest frame read from the peer and sent to it, in bytes, until
     *     {@link #setMaxFrameSize} changes it
     * @throws IOException if the codec cannot be set up; the connection is left to the caller
     */
    public StreamFrameChannel(StreamConnection connection, int maxFrameSize, FrameCodec.Factory codecs)
            throws IOException {
        this.connection = requireNonNull(connection, "connection");
        this.remoteAddress = connection.remoteAddress();
        this.maxFrameSize = checkPositive(maxFrameSize);
        this.in = new FrameInput(connection.input(), BUFFER_SIZE);
        this.out = new FrameOutput(connection.output(), BUFFER_SIZE);
        this.codec = requireNonNull(codecs.open(in, out, remoteAddress), "codec");
        this.closure = new ChannelClosure(connection.connection(), remoteAddress);
    }

    /** The connection this channel wraps. */
    public StreamConnection connection() {
        return connection;
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
            closure.closeWith(e);
            closure.notifyHandler(handler);
            throw e;
        }
    }

    private void startReader(int generation) {
        Thread reader = new Thread(() -> readLoop(handler, generation), "rpc-parallel-read-" + connection.transport()
                + "-" + remoteAddress + (generation == 0 ? "" : "-" + generation));
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
        long size = codec.encodedSize(kind, callId, functionId, length);
        int limit = maxFrameSize;
        if (size > limit) {
            throw new IllegalArgumentException(
                    "frame " + kind + "(call " + callId + ", function " + functionId + ", " + length + " bytes) to "
                            + remoteAddress + " is " + size
                            + " bytes encoded, over the maximum frame size of " + limit + " bytes");
        }
        writeLock.lock();
        try {
            closure.checkOpen();
            try {
                codec.write(kind, callId, functionId, payload, offset, length, (int) size);
                if (flush) {
                    out.flush();
                    unflushed = false;
                } else {
                    // Only now: a reading thread that saw the flag set while this send was
                    // flushing would wait for this lock for nothing, once per call.
                    unflushed = true;
                }
            } catch (IOException | RuntimeException e) {
                // Part of a frame may have been written: the stream cannot be used any more.
                IOException failure = closure.writeFailure(e);
                closure.closeWith(failure);
                throw failure;
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void flush() throws IOException {
        writeLock.lock();
        try {
            closure.checkOpen();
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
            IOException failure = closure.writeFailure(e);
            closure.closeWith(failure);
            throw failure;
        }
    }

    @Override
    public void setMaxFrameSize(int bytes) {
        this.maxFrameSize = checkPositive(bytes);
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public void close() {
        // The handler hears of it from the reader thread, after any frame it is handing over; if
        // start() has not been called yet, the reader it starts finds the channel closed.
        closure.closeWith(null);
    }

    @Override
    public String toString() {
        return "StreamFrameChannel[" + connection.transport() + ", " + remoteAddress
                + (closure.isClosed() ? ", closed" : "") + "]";
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads frame after frame. The loop's body is a method of its own, called once per frame, so
     * that the JIT compiles it after some thousand frames; a loop here would run interpreted until
     * an on-stack replacement, seconds of calls later, with the compiler working beside them.
     *
     * <p>Two copies of the body: the first class of handler to read in this process reads through
     * one, all others through the other ({@link #FIRST_HANDLER_CLASS}), so that each call site of
     * {@code onFrame} sees one class. A process has two: a worker serves calls and reads its
     * master's link, a master reads its workers and serves their registrations. With one call
     * site, the JIT compiles it for the class its profile saw (the busy one), and the other's
     * first frames (a worker's heartbeat answers while it waits between calls) throw the compiled
     * code away: the next calls run slower code while the compiler works beside them. A branch
     * between two call sites in one method does the same at the branch.
     */
    private void readLoop(FrameHandler handler, int generation) {
        try {
            Class<?> first = FIRST_HANDLER_CLASS.compareAndExchange(null, handler.getClass());
            if (first == null || first == handler.getClass()) {
                while (readFrameOfFirstClass(handler, generation)) {
                    // Next frame.
                }
            } else {
                while (readFrameOfOtherClasses(handler, generation)) {
                    // Next frame.
                }
            }
        } catch (IOException e) {
            // The peer closing (EOF) is how every connection ends: not worth a message.
            if (closure.closeWith(e) && !(e instanceof EOFException)) {
                Log.LOG.warn("Closing channel to {}: {}", remoteAddress, e.toString());
            }
        } catch (RuntimeException | Error e) {
            // A failing handler, or a frame too large for this heap: either way the channel is done.
            if (closure.closeWith(e)) {
                Log.LOG.error("Closing channel to {}", remoteAddress, e);
            }
        } finally {
            if (generation == readerGeneration) {
                closure.notifyHandler(handler);
            }
        }
    }

    /** Reads one frame for a handler of the first class ({@link #readLoop}); false: this thread stops. */
    private boolean readFrameOfFirstClass(FrameHandler handler, int generation) throws IOException {
        if (!readNext()) {
            return false;
        }
        // The payload goes to the handler as a slice of the codec's buffer: no copy here.
        handler.onFrame(inbound.kind(), inbound.callId(), inbound.functionId(), inbound.buffer(),
                inbound.offset(), inbound.length());
        return readsOn(generation);
    }

    /** {@link #readFrameOfFirstClass}'s lines, for the other classes: a call site of their own. */
    private boolean readFrameOfOtherClasses(FrameHandler handler, int generation) throws IOException {
        if (!readNext()) {
            return false;
        }
        handler.onFrame(inbound.kind(), inbound.callId(), inbound.functionId(), inbound.buffer(),
                inbound.offset(), inbound.length());
        return readsOn(generation);
    }

    /** Reads the next frame into {@link #inbound}: false once the channel is closed. */
    private boolean readNext() throws IOException {
        if (closure.isClosed()) {
            return false;
        }
        if (unflushed && in.buffered() == 0) {
            // Nothing more buffered: what was answered without a flush goes out. The
            // source is not asked for bytes waiting in the kernel (on a socket's stream,
            // one more system call per frame): frames that came in one read are
            // answered with one write, which is the batching that counts.
            flushQuietly();
        }
        codec.read(maxFrameSizeNow, inbound);
        return !closure.isClosed();
    }

    /**
     * After a frame was handled: whether this thread reads on. False when the handler kept this
     * thread and another reads on ({@link #handOffReading}).
     */
    private boolean readsOn(int generation) {
        if (generation != readerGeneration) {
            // The inbound frame is the new reading thread's now: leave it alone.
            flushQuietly();
            return false;
        }
        inbound.release();
        return true;
    }

    private void flushQuietly() {
        writeLock.lock();
        try {
            if (!closure.isClosed()) {
                flushHeld();
            }
        } catch (IOException e) {
            // The channel is closed; the reading thread reports it.
        } finally {
            writeLock.unlock();
        }
    }

    private static int checkPositive(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("the maximum frame size must be positive: " + bytes);
        }
        return bytes;
    }
}
