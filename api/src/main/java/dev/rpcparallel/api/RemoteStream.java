package dev.rpcparallel.api;

import dev.rpcparallel.api.annotation.API;
import java.util.Iterator;
import java.util.concurrent.Flow;
import java.util.stream.Stream;

/**
 * A stream of elements from another process: a pipe's elements or a state's updates (caller
 * side), or a reverse pipe's updates (worker side). Consume it once, in one of three ways:
 *
 * <ul>
 *   <li>as a {@link Flow.Publisher}: {@link #subscribe} once; {@code onNext} runs on a runtime
 *       thread, one call at a time, never more than requested;</li>
 *   <li>as a blocking {@link #iterator()} (or a for-each loop): {@code hasNext()} waits for the
 *       next element or the end;</li>
 *   <li>as a {@link #stream()}: closing it closes this.</li>
 * </ul>
 *
 * <p>Flow control: the producer is at most {@link #WINDOW} elements, and
 * {@link RpcSettings#streamWindowBytes()} bytes of encoded elements, ahead of what has been
 * consumed, so a slow consumer slows the producer down instead of filling memory. An element
 * larger than the byte window still goes, once less than a quarter of the window is
 * outstanding: one at a time. {@link #close()} before
 * the end cancels the stream: the producer stops and can observe that it was cancelled.
 *
 * <p>Failures arrive after every element sent before them: a producer that threw as a
 * {@link RemoteException} (thrown by {@code hasNext()}, or given to {@code onError}), a lost
 * connection as a {@link ConnectionException}. Nothing waits forever: every wait ends with an
 * element, the end, or a failure when the connection ends.
 *
 * <pre>{@code
 * try (RemoteStream<Long> numbers = connection.pipe(Numbers.COUNTDOWN, 10L)) {
 *     for (long n : numbers) { System.out.println(n); }
 * }
 * }</pre>
 *
 * @param <E> the element type
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface RemoteStream<E> extends Flow.Publisher<E>, Iterable<E>, AutoCloseable {
    /**
     * How many elements a producer may write ahead of its consumer: at most this many are in
     * flight or buffered per stream, whatever the speeds of the two (and at most
     * {@link RpcSettings#streamWindowBytes()} bytes of them).
     */
    int WINDOW = 1024;

    /**
     * Subscribes the one consumer of this stream.
     *
     * @throws IllegalStateException via {@code onError} if the stream is already being consumed
     */
    @Override
    void subscribe(Flow.Subscriber<? super E> subscriber);

    /**
     * The elements as a blocking iterator; may be called once.
     *
     * @throws IllegalStateException if the stream is already being consumed
     */
    @Override
    Iterator<E> iterator();

    /** The elements as a sequential {@link Stream}, whose {@code close()} closes this. */
    Stream<E> stream();

    /** Cancels the stream if it has not ended: the producer stops. Idempotent. */
    @Override
    void close();
}
