package dev.rpcparallel.api;

import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * An authenticated connection to one worker, with its own connection state in the worker.
 *
 * <p>Thread-safe: any number of threads may call at once; calls are multiplexed on the one
 * connection and answered as they complete. A call made after {@link #close()}, or pending
 * when the worker goes away, fails with a {@link ConnectionException} that names the worker.
 * An exception thrown by the function arrives as a {@link RemoteException}.
 *
 * <p>Every kind of function is called here: {@link #call} and {@link #callAsync} for
 * {@link RpcFunction}s, {@link #pipe}, {@link #directPipe}, {@link #oneWay},
 * {@link #reversePipe} and {@link #state} for the others; {@link #closeServer} and
 * {@link #logs} are built into every worker. Calls and streams share the connection fairly:
 * a large payload or a busy stream does not hold up a small call.
 *
 * <pre>{@code
 * try (Connection c = Parallel.connect(worker)) {
 *     long primes = c.call(Primes.COUNT, new Range(0, 10_000_000));
 * }
 * }</pre>
 */
public interface Connection extends AutoCloseable {

    /** The worker this connection is to. */
    WorkerRef worker();

    /**
     * Calls a function and waits for its result.
     *
     * @throws RemoteException if the function threw
     * @throws ConnectionException if the connection is closed or lost
     * @throws CodecException if the argument or result does not fit its codec
     */
    <A, R> R call(RpcFunction<A, R> function, A arg);

    /**
     * Calls a function without waiting. The future completes with the result, or exceptionally
     * with the exceptions {@link #call} would throw. Completion runs on a connection thread: keep
     * dependent stages short or give them an executor.
     */
    <A, R> CompletableFuture<R> callAsync(RpcFunction<A, R> function, A arg);

    /**
     * Opens a pipe: the worker streams elements back, at most a window ahead of what is
     * consumed. Returns at once; the stream's failure says if the call failed.
     *
     * @throws ConnectionException if the connection is closed
     * @throws CodecException if the argument does not fit its codec
     */
    <A, E> RemoteStream<E> pipe(PipeFunction<A, E> function, A arg);

    /**
     * Opens a direct pipe: the worker pushes elements to {@code callback} until it closes its
     * writer, its function throws, or the caller {@linkplain #abort aborts}; or until the
     * callback falls {@link RpcSettings#directPipeQueueBytes()} behind ("consumer too slow",
     * see {@link DirectPipeCallback}).
     *
     * @return the id that aborts the pipe
     * @throws ConnectionException if the connection is closed
     */
    <A, E> DirectPipeId directPipe(DirectPipeFunction<A, E> function, A arg, DirectPipeCallback<? super E> callback);

    /**
     * Aborts a direct pipe: the worker's writer sees the close, and the callback's
     * {@code onClosed} gets a {@link java.util.concurrent.CancellationException}. Nothing
     * happens if the pipe has already closed.
     */
    void abort(DirectPipeId id);

    /**
     * Sends a one-way call and returns without waiting for it to run. An exception in the
     * worker is a worker failure: it is logged there and reported to its master.
     *
     * @throws ConnectionException if the connection is closed
     */
    <A> void oneWay(OneWayFunction<A> function, A arg);

    /**
     * Calls a reverse pipe: sends the query, then every update of {@code updates} (waiting
     * while the worker is a window behind), then waits for the result. Stops sending if the
     * worker answers early.
     *
     * @throws RemoteException if the function threw
     * @throws ConnectionException if the connection is closed or lost
     */
    <Q, U, R> R reversePipe(ReversePipeFunction<Q, U, R> function, Q query, Iterator<? extends U> updates);

    /**
     * As {@link #reversePipe}, with the updates taken from a publisher, which is subscribed to
     * and asked for as many updates as the worker can take. A publisher's {@code onError}
     * aborts the call: the worker's update stream fails, and the future fails with that error.
     */
    <Q, U, R> CompletableFuture<R> reversePipeAsync(
            ReversePipeFunction<Q, U, R> function, Q query, Flow.Publisher<? extends U> updates);

    /**
     * Calls a state function and waits for its initial state; the updates follow as a stream.
     *
     * @throws RemoteException if the function threw before its initial state
     * @throws ConnectionException if the connection is closed or lost
     */
    <A, S, U> RemoteState<S, U> state(StateFunction<A, S, U> function, A arg);

    /**
     * Built in: the worker stops accepting new connections; open ones, this one included, keep
     * working. Waits for the acknowledgement.
     */
    void closeServer();

    /**
     * Built in: subscribes to the worker's log. The stream gets the events logged from now on
     * (none from before), until it is closed; any number of subscribers may stream at once.
     */
    RemoteStream<LogEvent> logs();

    /**
     * Asks the worker to shut down and waits until it has acknowledged. The connection is closed
     * afterwards. A spawned worker's process then exits.
     */
    void shutdownWorker();

    /** Whether calls can still be made. */
    boolean isOpen();

    /** Closes the connection; pending calls fail. Idempotent. */
    @Override
    void close();
}
