package dev.rpcparallel.transport.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * A connected channel in non-blocking mode, with blocking reads and writes that an interrupt
 * never ends: a read or write that finds nothing to do waits in a {@link Selector} of its own
 * (one for reads, one for writes, the latter made at the first write that has to wait), and an
 * interrupt that wakes such a wait is set aside until the read or write is done, then given back.
 *
 * <p>Why: a blocking {@link java.nio.channels.InterruptibleChannel} closes itself when a thread
 * blocked in its I/O is interrupted, and the JDK installs that only for blocking operations. The
 * callers of a connection write their own frames, and an interrupt is how a caller's call is
 * cancelled: in blocking mode one cancelled caller would close the connection of all.
 *
 * <p>Waits use no CPU: a selector's {@code select()} sleeps in the kernel until the channel is
 * ready, the selector is woken or closed, or the thread is interrupted. A read tries the channel
 * first and selects only if it had nothing, unless the read before drained the channel (it
 * returned less than asked): then it selects first, as a read would most likely find nothing.
 *
 * <p>Reads and writes go through direct buffers of the channel's own, one for each side, made at
 * the first read or write and grown to the largest slice asked (at most {@link #MAX_SLICE}). Given
 * a heap buffer, the JDK would take a direct one from the calling thread's cache, which is empty
 * on a thread's first read or write: a branch the hot reading and writing threads never take, so
 * the JIT compiles it as a trap, and the first read of a new reading thread (one that took over a
 * connection whose reading thread runs a long call) or the first write of a new caller threw away
 * the compiled read or write path of every connection in the process, to be compiled again while
 * calls ran. A buffer per channel also holds as much native memory as the busiest connection
 * needs, once, where the JDK keeps one per thread that ever wrote, and a write the socket takes
 * in part is not copied again.
 *
 * <p>Threading: one thread reads and one writes at a time (the stream channel's reading thread and
 * its write lock), each side with its own buffer; {@link #close()} may come from any thread and
 * ends both waits.
 */
final class SelectingChannel {
    /**
     * The most one read or write asks of the channel, and the largest its direct buffers grow: a
     * large frame goes through them in slices, so a connection holds at most twice this in native
     * memory.
     */
    static final int MAX_SLICE = 256 * 1024;

    private final ByteChannel channel;
    private final Selector readSelector;
    private final Object writeSelectorLock = new Object();
    /** Made at the first write that has to wait; guarded by writeSelectorLock. */
    private Selector writeSelector;
    private volatile boolean closed;
    /** Whether the last read returned less than it asked for (the channel had no more then). */
    private boolean drained;
    /** The reads' direct buffer: the reading thread's. */
    private ByteBuffer readBuffer;
    /** The writes' direct buffer: the writing thread's (one at a time). */
    private ByteBuffer writeBuffer;

    /** Switches {@code channel} to non-blocking mode; closes it if that fails. */
    <C extends SelectableChannel & ByteChannel> SelectingChannel(C channel) throws IOException {
        this.channel = channel;
        try {
            channel.configureBlocking(false);
            this.readSelector = Selector.open();
            try {
                channel.register(readSelector, SelectionKey.OP_READ);
            } catch (IOException | RuntimeException e) {
                readSelector.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Reads at least one byte into {@code buffer} (which has room), or returns -1 at the end of input. */
    int read(ByteBuffer buffer) throws IOException {
        int asked = Math.min(buffer.remaining(), MAX_SLICE);
        readBuffer = ready(readBuffer, asked);
        ByteBuffer direct = readBuffer;
        if (drained) {
            await(readSelector);
        }
        int n = channel.read(direct);
        while (n == 0) {
            await(readSelector);
            n = channel.read(direct);
        }
        drained = n < asked;
        if (n > 0) {
            buffer.put(direct.flip());
        }
        return n;
    }

    /**
     * Whether a read would not wait now (bytes, or the end of input, are there), asked of the
     * kernel without waiting: the next read then reads at once.
     */
    boolean readable() throws IOException {
        checkOpen();
        int ready;
        try {
            ready = readSelector.selectNow();
            readSelector.selectedKeys().clear();
        } catch (ClosedSelectorException e) {
            throw closedUnderfoot(e);
        }
        if (ready > 0) {
            drained = false;
            return true;
        }
        return false;
    }

    /** Writes all of {@code buffer}. */
    void write(ByteBuffer buffer) throws IOException {
        int limit = buffer.limit();
        try {
            while (buffer.position() < limit) {
                int slice = Math.min(limit - buffer.position(), MAX_SLICE);
                writeBuffer = ready(writeBuffer, slice);
                ByteBuffer direct = writeBuffer;
                buffer.limit(buffer.position() + slice);
                direct.put(buffer).flip();
                buffer.limit(limit);
                while (direct.hasRemaining()) {
                    if (channel.write(direct) == 0) {
                        await(writeSelector());
                    }
                }
            }
        } finally {
            buffer.limit(limit);
        }
    }

    /**
     * {@code direct}, or a larger one if it has less room than {@code size} bytes (the next power
     * of two, at most {@link #MAX_SLICE}), cleared and limited to {@code size}.
     */
    private static ByteBuffer ready(ByteBuffer direct, int size) {
        if (direct == null || direct.capacity() < size) {
            int capacity = Math.min(MAX_SLICE, Math.max(1024, Integer.highestOneBit(size - 1) << 1));
            direct = ByteBuffer.allocateDirect(capacity);
        }
        direct.clear().limit(size);
        return direct;
    }

    private Selector writeSelector() throws IOException {
        synchronized (writeSelectorLock) {
            if (writeSelector == null) {
                checkOpen();
                Selector selector = Selector.open();
                try {
                    ((SelectableChannel) channel).register(selector, SelectionKey.OP_WRITE);
                } catch (IOException | RuntimeException e) {
                    selector.close();
                    throw e;
                }
                writeSelector = selector;
            }
            return writeSelector;
        }
    }

    /**
     * Waits until the selector's one key is ready, or the channel closes. An interrupt ends no wait:
     * it is set aside (a pending one would make every {@code select()} return at once) and given
     * back when the wait is over.
     */
    private void await(Selector selector) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                checkOpen();
                int ready;
                try {
                    ready = selector.select();
                    selector.selectedKeys().clear();
                } catch (ClosedSelectorException e) {
                    throw closedUnderfoot(e);
                }
                if (Thread.interrupted()) {
                    interrupted = true;
                }
                if (ready > 0) {
                    return;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void checkOpen() throws IOException {
        if (closed || !channel.isOpen()) {
            throw new ClosedChannelException();
        }
    }

    private static IOException closedUnderfoot(ClosedSelectorException e) {
        AsynchronousCloseException closed = new AsynchronousCloseException();
        closed.initCause(e);
        return closed;
    }

    /**
     * Closes the channel and both selectors: a thread waiting in either wakes and fails. Closing
     * the selectors also deregisters the channel, which lets the JDK release its descriptor.
     */
    void close() throws IOException {
        closed = true;
        IOException failure = null;
        try {
            channel.close();
        } catch (IOException e) {
            failure = e;
        }
        Selector writes;
        synchronized (writeSelectorLock) {
            writes = writeSelector;
        }
        for (Selector selector : new Selector[] {readSelector, writes}) {
            if (selector == null) {
                continue;
            }
            try {
                selector.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
