package dev.rpcparallel.launcher.rpc;

import dev.rpcparallel.api.Codec;
import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.RemoteStream;
import java.util.concurrent.CancellationException;

/**
 * Credit-based flow control of streams. A producer may send {@link #WINDOW} elements of a
 * stream before any credit; the consumer gives credit back ({@link
 * dev.rpcparallel.spi.transport.FrameKind#CREDIT}) as it consumes, in batches of
 * {@link #CREDIT_BATCH}. So at most a window of elements is in flight or buffered per stream,
 * whatever the speeds of producer and consumer.
 */
public final class FlowControl {
    /** Elements a producer may send ahead of the consumer: the API's promise. */
    public static final int WINDOW = RemoteStream.WINDOW;
    /** Consumed elements given back as credit at once. */
    static final int CREDIT_BATCH = WINDOW / 4;
    /** The payload of a CREDIT frame: how many more elements the consumer takes. */
    static final Codec<Integer> CREDIT = Codecs.int32();

    private FlowControl() {}

    /** A producer's credit: {@link #acquire()} takes one, waiting while there is none. Thread-safe. */
    static final class Credits {
        private int available = WINDOW;
        private CancellationException stopped;

        synchronized void grant(int credits) {
            if (credits > 0) {
                // Saturating: a peer's absurd credit must not wrap around to "no credit".
                available = (int) Math.min(Integer.MAX_VALUE, (long) available + credits);
                notifyAll();
            }
        }

        /**
         * Takes one credit, waiting for the consumer if needed.
         *
         * @throws CancellationException once the stream is stopped, or when interrupted
         */
        synchronized void acquire() {
            while (available == 0 && stopped == null) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("interrupted while waiting for the consumer");
                }
            }
            if (stopped != null) {
                throw stopped;
            }
            available--;
        }

        /** Stops the producer: waiting and later {@link #acquire()}s throw {@code reason}. */
        synchronized void stop(CancellationException reason) {
            if (stopped == null) {
                stopped = reason;
                notifyAll();
            }
        }

        synchronized boolean isStopped() {
            return stopped != null;
        }
    }
}
