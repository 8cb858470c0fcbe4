package dev.rpcparallel.spi;

import dev.rpcparallel.api.annotation.API;
import java.util.concurrent.CancellationException;

/**
 * Where a pipe's producer writes its elements. {@link #write} waits while the caller has a full
 * window of elements it has not consumed yet, so the producer runs at the consumer's pace.
 * Used by one thread at a time.
 *
 * @param <E> the element type
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface PipeWriter<E> {

    /**
     * Sends one element, waiting for the caller to take some if its window is full.
     *
     * @throws CancellationException if the caller cancelled the stream, the connection was lost
     *     or the thread was interrupted: stop producing (letting it propagate is fine)
     */
    void write(E element);

    /** Whether the caller cancelled the stream (or the connection was lost). */
    boolean isCancelled();
}
