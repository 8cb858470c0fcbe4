package dev.rpcparallel.spi;

import dev.rpcparallel.api.annotation.API;
import java.util.concurrent.CompletionStage;

/**
 * Where a direct pipe's implementation pushes its elements: {@link #write} never waits. The
 * pipe stays open after the implementation has returned, until {@link #close()}, the caller's
 * abort or the loss of the connection. Thread-safe.
 *
 * @param <E> the element type
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface DirectPipeWriter<E> {

    /**
     * Sends one element without waiting.
     *
     * @return {@code false} if the pipe is closed, and the element was dropped
     */
    boolean write(E element);

    /** Ends the pipe normally; the caller's callback sees the end. Idempotent. */
    void close();

    /** Whether the pipe is closed: by {@link #close()}, by the caller's abort, or by a lost connection. */
    boolean isClosed();

    /** Completes when the pipe closes, for whatever reason; abort and loss included. */
    CompletionStage<Void> whenClosed();
}
