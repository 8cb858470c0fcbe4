package dev.rpcparallel.launcher.protocol;

import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.FrameKind;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sends the frames of one connection, fairly: frames of one call (or stream) go out in the
 * order they were given, calls take turns round robin, and a payload larger than
 * {@link #CHUNK_SIZE} goes out as {@link FrameKind#CHUNK} pieces, one piece per turn, so a
 * 64 MiB argument holds up a small call by one piece at most (see {@link FrameAssembler} for
 * the receiving side).
 *
 * <p>This class alone decides who writes and who flushes. A frame is written at once on the
 * sending thread when nothing is queued or being written and the frame is small (no thread
 * hand-off: the common case of one call at a time) and flushed with it, or queued for the
 * connection's writer thread, started on the first queued frame, which flushes only when nothing
 * more is queued, so frames queued together leave in one system call. The connection's reading thread
 * ({@link #readBy}) never blocks on the socket: what it sends is queued, except the answer of a
 * call it ran itself, written unflushed (its channel flushes once it has no more input). Stream
 * elements are flushed in batches by the writer thread. A write failure closes the channel,
 * whose handler then fails what was pending; frames still queued are dropped.
 */
public final class FrameWriter {
    /** The largest payload piece written in one turn. */
    public static final int CHUNK_SIZE = 256 * 1024;
    /** More than the envelope of any frame adds to its payload (kind, call id, function id, lengths). */
    private static final int FRAME_OVERHEAD = 64;

    /** How a frame may be sent. */
    enum Mode {
        /** Queued for the writer thread: for a thread that must not block on the socket. */
        QUEUE,
        /** Written on the sending thread if the writer is idle; flushed unless more is queued. */
        INLINE,
        /**
         * Written on the sending thread if the writer is idle, left unflushed: for the reading
         * thread, whose channel flushes once it has no more input to read.
         */
        INLINE_DEFERRED_FLUSH,
        /**
         * Written on the sending thread if the writer is idle, flushed soon by the writer thread:
         * for stream elements, so that a producer's elements leave in batches, with one flush
         * and one wake-up of the writer thread per batch instead of per element.
         */
        INLINE_LATER_FLUSH
    }

    /**
     * The largest frame a peer that writes through a {@code FrameWriter} sends: a payload over
     * {@link #CHUNK_SIZE} goes in pieces. Used as an authenticated channel's frame limit, so a
     * transport never allocates more than that for one frame, whatever a frame's header
     * declares; the maximum message size bounds the payloads joined from the pieces.
     */
    public static int maxFrameSize(int maxMessageSize) {
        return Math.min(maxMessageSize, CHUNK_SIZE) + FRAME_OVERHEAD;
    }

    private final FrameChannel channel;
    private final String threadName;
    private final Object lock = new Object();
    /** The queued frames per call id, in turn order: the first key has the next turn. */
    private final LinkedHashMap<Long, ArrayDeque<QueuedFrame>> queues = new LinkedHashMap<>();
    private volatile int maxMessageSize;
    /** The connection's reading thread now, which must not block on the socket; null once it handed reading over. */
    private volatile Thread reader;
    private boolean closed;
    private boolean started;
    /** A frame is being written, by the writer thread or a sending thread. */
    private boolean writing;
    /** Frames were written unflushed by {@link Mode#INLINE_LATER_FLUSH}: the writer thread flushes. */
    private boolean flushRequested;
    /** The writer thread is flushing what {@link #flushRequested} asked for. */
    private boolean flushing;

    /** No payload is being sent in pieces. */
    private static final long NO_CALL = Long.MIN_VALUE;
    /**
     * The call whose payload is being sent in pieces: one at a time, so that the receiver joins
     * one large payload of this connection at a time (its {@link ReceiveBudget} relies on it);
     * small frames of other calls still go in between the pieces.
     */
    private long inPieces = NO_CALL;

    /** One turn's write: a whole frame, or a piece of its payload; {@code written} runs after the last piece. */
    private record Piece(FrameKind kind, long callId, int functionId, byte[] payload, int offset, int length,
            Runnable written) {}

    private static final Runnable NOTHING = WriterCallbacks.NOTHING;
    private static final byte[] NO_HEAD = new byte[0];

    public FrameWriter(FrameChannel channel, int maxMessageSize, String threadName) {
        this.channel = channel;
        this.maxMessageSize = maxMessageSize;
        this.threadName = threadName;
    }

    /**
     * Records the connection's reading thread, which must never block on the socket: called
     * with the current thread for the frames it receives, and with {@code null} when it hands
     * reading over to another thread.
     */
    public void readBy(Thread thread) {
        reader = thread;
    }

    /**
     * Sends a frame: queued if this is the reading thread; a stream element flushed later, in a
     * batch, by the writer thread; anything else written and flushed here if the writer is idle.
     *
     * @throws IOException if the connection is closed, or writing on this thread failed
     * @throws IllegalArgumentException if the payload is over the maximum message size
     */
    public void send(Frame frame) throws IOException {
        send(frame, NOTHING);
    }

    /** As {@link #send(Frame)}, running {@code written} once the frame has been written or dropped (not if this throws). */
    public void send(Frame frame, Runnable written) throws IOException {
        send(frame, Thread.currentThread() == reader ? Mode.QUEUE
                : frame.kind() == FrameKind.ELEMENT ? Mode.INLINE_LATER_FLUSH : Mode.INLINE, written);
    }

    /**
     * Sends the answer of a call this thread ran: on the reading thread it is written unflushed
     * (its channel flushes once it has no more input to read), elsewhere written and flushed.
     */
    public void sendAnswer(Frame frame, Runnable written) throws IOException {
        send(frame, Thread.currentThread() == reader ? Mode.INLINE_DEFERRED_FLUSH : Mode.INLINE, written);
    }

    /**
     * As {@link #sendAnswer(Frame, Runnable)}, for an answer whose payload on the wire is
     * {@code head} followed by the frame's payload, which is written from the frame's own array,
     * without a copy ({@link BinaryPayloads}): it goes out in pieces, the head first, from the
     * writer thread; the frame's array must not change until {@code written} has run.
     */
    public void sendAnswer(Frame frame, byte[] head, Runnable written) throws IOException {
        send(frame, head, Mode.QUEUE, written);
    }

    /**
     * Sends a frame whose payload on the wire is {@code head} followed by the frame's payload,
     * which is written from the frame's own array, without a copy ({@link BinaryPayloads}): it
     * goes out in pieces, the head first, from the writer thread; the frame's array must not
     * change until it has been written.
     */
    public void send(Frame frame, byte[] head) throws IOException {
        send(frame, head, Mode.QUEUE, NOTHING);
    }

    /** Sends a frame that another follows at once (a call's deadline): it leaves unflushed, with the next. */
    public void sendLeading(Frame frame) throws IOException {
        send(frame, Thread.currentThread() == reader ? Mode.QUEUE : Mode.INLINE_DEFERRED_FLUSH, NOTHING);
    }

    /** Queues a frame for the writer thread, whatever the thread. */
    public void queue(Frame frame) throws IOException {
        send(frame, Mode.QUEUE, NOTHING);
    }

    /**
     * Sends a frame: writes it now on this thread, if {@code mode} allows, nothing is queued or
     * being written and it goes in one piece; otherwise queues it. Runs {@code written} once it
     * has been written whole, or dropped because the connection closed; not if this throws.
     */
    private void send(Frame frame, Mode mode, Runnable written) throws IOException {
        send(frame, NO_HEAD, mode, written);
    }

    private void send(Frame frame, byte[] head, Mode mode, Runnable written) throws IOException {
        long size = (long) head.length + frame.payload().length;
        if (size > maxMessageSize) {
            throw new MessageSizeException(frame.kind().toString(), (int) Math.min(size, Integer.MAX_VALUE),
                    maxMessageSize);
        }
        synchronized (lock) {
            if (closed) {
                throw new IOException("the connection to " + channel.remoteAddress() + " is closed");
            }
            if (mode == Mode.QUEUE || writing || !queues.isEmpty() || size > CHUNK_SIZE) {
                queues.computeIfAbsent(frame.callId(), WriterCallbacks.NEW_QUEUE)
                        .add(new QueuedFrame(frame, head, written));
                startWriter();
                lock.notifyAll();
                return;
            }
            writing = true;
        }
        try {
            // Written and flushed in one step of the channel: a frame written unflushed and
            // flushed after would tell the channel's reading thread, in between, that there is
            // something to flush, and it would wait for the channel's write lock, once per call.
            channel.send(frame, mode == Mode.INLINE);
            if (mode == Mode.INLINE_LATER_FLUSH) {
                synchronized (lock) {
                    if (!flushRequested) {
                        flushRequested = true;
                        startWriter();
                        lock.notifyAll();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            close();
            throw e instanceof IOException io ? io
                    : new IOException("writing to " + channel.remoteAddress() + " failed: " + e, e);
        } finally {
            synchronized (lock) {
                writing = false;
                lock.notifyAll();
            }
            written.run();
        }
    }

    /** Asks the writer thread to flush soon what was written unflushed; does not block. */
    public void requestFlush() {
        synchronized (lock) {
            if (!closed && !flushRequested) {
                flushRequested = true;
                startWriter();
                lock.notifyAll();
            }
        }
    }

    /** Starts the writer thread if it has not started; holds the lock. */
    private void startWriter() {
        if (!started) {
            started = true;
            Thread writer = new Thread(WriterCallbacks.writeLoop(this), threadName);
            writer.setDaemon(true);
            writer.start();
        }
    }

    /**
     * Waits until every queued frame is written, the connection closes, or the time is up.
     *
     * @return whether everything was written
     */
    public boolean drain(long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        synchronized (lock) {
            while (!closed && (writing || flushing || flushRequested || !queues.isEmpty())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return queues.isEmpty();
        }
    }

    /** Stops writing; queued frames are dropped. Idempotent. */
    public void close() {
        java.util.List<Runnable> dropped = new java.util.ArrayList<>();
        synchronized (lock) {
            closed = true;
            for (ArrayDeque<QueuedFrame> queue : queues.values()) {
                for (QueuedFrame outgoing : queue) {
                    dropped.add(outgoing.written);
                }
            }
            queues.clear();
            lock.notifyAll();
        }
        dropped.forEach(Runnable::run);
    }

    void writeLoop() {
        try {
            while (true) {
                Piece next;
                synchronized (lock) {
                    while (!closed && (queues.isEmpty() || writing) && !flushRequested) {
                        lock.wait();
                    }
                    if (closed) {
                        return;
                    }
                    if (queues.isEmpty() || writing) {
                        // Only a flush asked for: what was written meanwhile goes out with it.
                        flushRequested = false;
                        flushing = true;
                        next = null;
                    } else {
                        next = takeTurn();
                        writing = true;
                    }
                }
                if (next == null) {
                    try {
                        channel.flush();
                    } finally {
                        synchronized (lock) {
                            flushing = false;
                            lock.notifyAll();
                        }
                    }
                    continue;
                }
                boolean last;
                try {
                    channel.send(next.kind(), next.callId(), next.functionId(), next.payload(), next.offset(),
                            next.length(), false);
                } finally {
                    next.written().run();
                    synchronized (lock) {
                        writing = false;
                        last = queues.isEmpty();
                        if (last) {
                            flushRequested = false;
                            flushing = true;
                        }
                        lock.notifyAll();
                    }
                }
                if (last) {
                    // Nothing more to write: push the batch out. A frame queued meanwhile is
                    // written (and flushed) next.
                    try {
                        channel.flush();
                    } finally {
                        synchronized (lock) {
                            flushing = false;
                            lock.notifyAll();
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // The channel closed itself (or was closed); its handler fails what was pending.
            channel.close();
            close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
        }
    }

    /** The next write: the whole head frame of the next call, or its next piece. */
    private Piece takeTurn() {
        Iterator<Map.Entry<Long, ArrayDeque<QueuedFrame>>> turns = queues.entrySet().iterator();
        Map.Entry<Long, ArrayDeque<QueuedFrame>> turn = turns.next();
        // A large payload waits while another is in pieces; the one in pieces always has a turn.
        while (inPieces != NO_CALL && turn.getKey() != inPieces
                && turn.getValue().peek().size() > CHUNK_SIZE) {
            turn = turns.next();
        }
        turns.remove();
        ArrayDeque<QueuedFrame> queue = turn.getValue();
        QueuedFrame first = queue.peek();
        Frame frame = first.frame;
        byte[] payload = frame.payload();
        int size = first.size();
        int left = size - first.offset;
        Piece next;
        if (first.offset < first.head.length) {
            // The head goes out as a piece of its own: the payload's array is then written as it is.
            next = new Piece(FrameKind.CHUNK, frame.callId(), size, first.head, first.offset,
                    first.head.length - first.offset, NOTHING);
            first.offset = first.head.length;
            inPieces = frame.callId();
        } else if (left > CHUNK_SIZE) {
            // A CHUNK's function id is the size of the whole payload, so the receiver can
            // allocate it once and copy each piece into place as it comes. The piece is
            // written straight from the sender's array.
            next = new Piece(FrameKind.CHUNK, frame.callId(), size, payload, first.offset - first.head.length,
                    CHUNK_SIZE, NOTHING);
            first.offset += CHUNK_SIZE;
            inPieces = frame.callId();
        } else {
            queue.poll();
            next = new Piece(frame.kind(), frame.callId(), frame.functionId(), payload,
                    first.offset - first.head.length, left, first.written);
            if (inPieces == frame.callId()) {
                inPieces = NO_CALL;
            }
        }
        if (!queue.isEmpty()) {
            queues.put(turn.getKey(), queue); // to the back of the line
        }
        return next;
    }
}
