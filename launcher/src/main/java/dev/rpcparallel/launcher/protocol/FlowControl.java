package dev.rpcparallel.launcher.protocol;

import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.api.RpcSettings;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;

/**
 * Credit-based flow control of streams, in elements and in bytes. A producer may have
 * {@link #WINDOW} elements and a window of bytes ({@link RpcSettings#streamWindowBytes()}) of a
 * stream sent and not yet given back as credit; the consumer gives credit back ({@link
 * dev.rpcparallel.spi.transport.FrameKind#CREDIT}) for what it has consumed, in batches of a
 * quarter of each window. So whatever the speeds of producer and consumer, a stream has at most
 * a window of elements and of bytes in flight or buffered.
 *
 * <p>An element larger than what is left of the byte window still goes once less than a batch
 * (a quarter of the window) is outstanding: so an element larger than the whole window flows,
 * one at a time, and at most a quarter of the window plus one element is ever outstanding. The
 * same rule, with what the consumer has queued on its side, bounds a consumer's buffer; and it
 * cannot deadlock: a producer that waits has at least a batch outstanding, and a consumer that
 * has consumed a batch gives it back.
 *
 * <p>A direct pipe uses the same accounting without waiting ({@link Credits#tryAcquire}): its
 * caller acknowledges what its callback has taken with CREDIT frames, and a push that does not
 * fit in {@link RpcSettings#directPipeQueueBytes()} fails the pipe as "consumer too slow".
 */
public final class FlowControl {
    /** Elements a producer may send ahead of the consumer: the API's promise. */
    public static final int WINDOW = RemoteStream.WINDOW;

    private FlowControl() {}

    /** How much a stream's producer may have outstanding: elements and bytes. */
    public record Window(int elements, int bytes) {
        public Window {
            if (elements < 1 || bytes < 1) {
                throw new IllegalArgumentException("a window needs at least one element and one byte: " + elements
                        + " elements, " + bytes + " bytes");
            }
        }

        /** A pipe's, state's or reverse pipe's window under these settings. */
        public static Window of(RpcSettings settings) {
            return new Window(WINDOW, settings.streamWindowBytes());
        }

        /** A direct pipe's bound under these settings: bytes only. */
        public static Window directPipe(RpcSettings settings) {
            return new Window(Integer.MAX_VALUE, settings.directPipeQueueBytes());
        }

        public int elementBatch() {
            return Math.max(1, elements / 4);
        }

        public int byteBatch() {
            return Math.max(1, bytes / 4);
        }

        /**
         * Whether one more element of {@code size} bytes fits beside what is outstanding: the
         * rule both ends apply (the producer before it sends, the consumer as a guard).
         */
        public boolean admits(int elementsOutstanding, long bytesOutstanding, int size) {
            return elementsOutstanding < elements
                    && (bytesOutstanding + size <= bytes || bytesOutstanding < byteBatch());
        }
    }

    /**
     * The payload of a CREDIT frame: the consumer has consumed that many more elements, of that
     * many bytes. Twelve bytes, big-endian.
     */
    public record Credit(int elements, long bytes) {
        public byte[] encode() {
            return ByteBuffer.allocate(12).putInt(elements).putLong(bytes).array();
        }

        /** @throws IllegalArgumentException if the payload is not a credit */
        public static Credit decode(byte[] payload) {
            if (payload.length != 12) {
                throw new IllegalArgumentException("a CREDIT payload has 12 bytes, not " + payload.length);
            }
            ByteBuffer buffer = ByteBuffer.wrap(payload);
            return new Credit(buffer.getInt(), buffer.getLong());
        }
    }

    /**
     * A producer's credit: {@link #acquire(int)} takes room for one element, waiting while the
     * window has none. Thread-safe.
     */
    public static final class Credits {
        private final Window window;
        private int elementsOutstanding;
        private long bytesOutstanding;
        private CancellationException stopped;

        public Credits(Window window) {
            this.window = window;
        }

        /** The consumer gave credit back. A peer's absurd credit only empties what is outstanding. */
        public synchronized void grant(Credit credit) {
            elementsOutstanding -= Math.min(elementsOutstanding, Math.max(0, credit.elements()));
            bytesOutstanding -= Math.min(bytesOutstanding, Math.max(0, credit.bytes()));
            notifyAll();
        }

        /**
         * Takes room for one element of {@code size} bytes, waiting for the consumer if needed.
         *
         * @throws CancellationException once the stream is stopped, or when interrupted
         */
        public synchronized void acquire(int size) {
            while (!window.admits(elementsOutstanding, bytesOutstanding, size) && stopped == null) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw stopped != null ? stopped
                            : new CancellationException("interrupted while waiting for the consumer");
                }
            }
            if (stopped != null) {
                throw stopped;
            }
            take(size);
        }

        /**
         * Takes room for one element of {@code size} bytes if the window has it now.
         *
         * @throws CancellationException once the stream is stopped
         */
        public synchronized boolean tryAcquire(int size) {
            if (stopped != null) {
                throw stopped;
            }
            if (!window.admits(elementsOutstanding, bytesOutstanding, size)) {
                return false;
            }
            take(size);
            return true;
        }

        private void take(int size) {
            elementsOutstanding++;
            bytesOutstanding += size;
        }

        public synchronized long bytesOutstanding() {
            return bytesOutstanding;
        }

        /** Stops the producer: waiting and later {@link #acquire}s throw {@code reason}. */
        public synchronized void stop(CancellationException reason) {
            if (stopped == null) {
                stopped = reason;
                notifyAll();
            }
        }

        public synchronized boolean isStopped() {
            return stopped != null;
        }
    }

    /**
     * A consumer's side of the accounting: what arrived and is not yet given back, and what was
     * consumed and is due back as credit. Not thread-safe: its owner guards it.
     */
    public static final class Grants {
        private final Window window;
        private int elementsHeld;
        private long bytesHeld;
        private int elementsConsumed;
        private long bytesConsumed;

        public Grants(Window window) {
            this.window = window;
        }

        public Window window() {
            return window;
        }

        /**
         * An element of {@code size} bytes arrived.
         *
         * @return false, counting nothing, if the producer had no credit for it
         */
        public boolean received(int size) {
            if (!window.admits(elementsHeld, bytesHeld, size)) {
                return false;
            }
            elementsHeld++;
            bytesHeld += size;
            return true;
        }

        /**
         * {@code elements} elements of {@code bytes} bytes in all were consumed.
         *
         * @return the credit to give back now, or null while less than a batch is due
         */
        public Credit consumed(int elements, long bytes) {
            elementsConsumed += elements;
            bytesConsumed += bytes;
            if (elementsConsumed >= window.elementBatch() || bytesConsumed >= window.byteBatch()) {
                Credit credit = new Credit(elementsConsumed, bytesConsumed);
                elementsHeld -= Math.min(elementsHeld, elementsConsumed);
                bytesHeld -= Math.min(bytesHeld, bytesConsumed);
                elementsConsumed = 0;
                bytesConsumed = 0;
                return credit;
            }
            return null;
        }

        /** Bytes that arrived and were not yet given back. */
        public long bytesHeld() {
            return bytesHeld;
        }
    }
}
