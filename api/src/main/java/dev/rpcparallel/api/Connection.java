package dev.rpcparallel.api;

import dev.rpcparallel.api.annotation.API;
import java.time.Duration;
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
 * <p><b>Deadlines and cancellation.</b> Every kind of call can be given a timeout (a
 * {@link Duration} on the blocking forms, {@link CallOptions} on the others); a call made while
 * a worker serves a call inherits that call's deadline. A call past its deadline fails with a
 * {@link DeadlineExceededException}, and the worker is told to stop it. Cancelling the future of
 * {@link #callAsync} or {@link #reversePipeAsync} ({@link CompletableFuture#cancel}), closing a
 * stream or {@linkplain #abort aborting} a direct pipe cancels the call in the worker: its
 * {@code CallContext.isCancelled()} turns true and its thread is interrupted.
 *
 * <p><b>Threads.</b> Futures complete, and direct-pipe callbacks run, on the connection's reading
 * thread. A blocking call (or {@code get}/{@code join} of a call's future) made there, in a
 * dependent stage or a callback, works: that thread hands reading over to a new one first, so
 * the answer can still be read.
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
@API(status = API.Status.STABLE, since = "0.1")
public interface Connection extends AutoCloseable {

    /** The worker this connection is to. */
    WorkerRef worker();

    /**
     * Calls a function and waits for its result: as long as it takes, unless the settings have a
     * {@linkplain RpcSettings#defaultCallTimeout() default call timeout} or the call is made while
     * serving a call that has a deadline.
     *
     * @throws DeadlineExceededException if that deadline passed first
     * @throws RemoteException if the function threw
     * @throws ConnectionException if the connection is closed or lost
     * @throws CodecException if the argument or result does not fit its codec
     */
    <A, R> R call(RpcFunction<A, R> function, A arg);

    /**
     * Calls a function and waits for its result, at most {@code timeout} (or the deadline of the
     * call being served on this thread, if earlier).
     *
     * @throws DeadlineExceededException if the deadline passed first; the worker was told to
     *     cancel the call
     * @throws RemoteException if the function threw
     * @throws ConnectionException if the connection is closed or lost
     * @throws CodecException if the argument or result does not fit its codec
     */
    <A, R> R call(RpcFunction<A, R> function, A arg, Duration timeout);

    /**
     * Calls a function without waiting. The future completes with the result, or exceptionally
     * with the exceptions {@link #call} would throw. Completion runs on a connection thread: keep
     * dependent stages short or give them an executor.
     */
    default <A, R> CompletableFuture<R> callAsync(RpcFunction<A, R> function, A arg) {
        return callAsync(function, arg, CallOptions.defaults());
    }

    /**
     * As {@link #callAsync(RpcFunction, Object)}, with options: the future fails with a
     * {@link DeadlineExceededException} when the deadline passes. {@code cancel} on the future
     * cancels the call in the worker; the future then throws {@link
     * java.util.concurrent.CancellationException}.
     */
    <A, R> CompletableFuture<R> callAsync(RpcFunction<A, R> function, A arg, CallOptions options);

    /**
     * Opens a pipe: the worker streams elements back, at most a window ahead of what is
     * consumed. Returns at once; the stream's failure says if the call failed.
     *
     * @throws ConnectionException if the connection is closed
     * @throws CodecException if the argument does not fit its codec
     */
    default <A, E> RemoteStream<E> pipe(PipeFunction<A, E> function, A arg) {
        return pipe(function, arg, CallOptions.defaults());
    }

    /**
     * As {@link #pipe(PipeFunction, Object)}, with options: a stream not ended by its deadline
     * fails with a {@link DeadlineExceededException} and the worker's producer is cancelled.
     */
    <A, E> RemoteStream<E> pipe(PipeFunction<A, E> function, A arg, CallOptions options);

    /**
     * Opens a direct pipe: the worker pushes elements to {@code callback} until it closes its
     * writer, its function throws, or the caller {@linkplain #abort aborts}; or until the
     * callback falls {@link RpcSettings#directPipeQueueBytes()} behind ("consumer too slow",
     * see {@link DirectPipeCallback}).
     *
     * @return the id that aborts the pipe
     * @throws ConnectionException if the connection is closed
     */
    default <A, E> DirectPipeId directPipe(DirectPipeFunction<A, E> function, A arg,
            DirectPipeCallback<? super E> callback) {
        return directPipe(function, arg, CallOptions.defaults(), callback);
    }

    /**
     * As {@link #directPipe(DirectPipeFunction, Object, DirectPipeCallback)}, with options: a pipe
     * still open at its deadline is closed with a {@link DeadlineExceededException} and cancelled
     * in the worker.
     */
    <A, E> DirectPipeId directPipe(DirectPipeFunction<A, E> function, A arg, CallOptions options,
            DirectPipeCallback<? super E> callback);

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
    default <Q, U, R> R reversePipe(ReversePipeFunction<Q, U, R> function, Q query, Iterator<? extends U> updates) {
        return reversePipe(function, query, updates, CallOptions.defaults());
    }

    /**
     * As {@link #reversePipe(ReversePipeFunction, Object, Iterator)}, answered within
     * {@code timeout}.
     *
     * @throws DeadlineExceededException if the deadline passed first; the worker was told to
     *     cancel the call
     */
    default <Q, U, R> R reversePipe(ReversePipeFunction<Q, U, R> function, Q query, Iterator<? extends U> updates,
            Duration timeout) {
        return reversePipe(function, query, updates, CallOptions.timeout(timeout));
    }

    /** As {@link #reversePipe(ReversePipeFunction, Object, Iterator)}, with options. */
    <Q, U, R> R reversePipe(ReversePipeFunction<Q, U, R> function, Q query, Iterator<? extends U> updates,
            CallOptions options);

    /**
     * As {@link #reversePipe}, with the updates taken from a publisher, which is subscribed to
     * and asked for as many updates as the worker can take. A publisher's {@code onError}
     * aborts the call: the worker's update stream fails, and the future fails with that error.
     */
    default <Q, U, R> CompletableFuture<R> reversePipeAsync(
            ReversePipeFunction<Q, U, R> function, Q query, Flow.Publisher<? extends U> updates) {
        return reversePipeAsync(function, query, updates, CallOptions.defaults());
    }

    /**
     * As {@link #reversePipeAsync(ReversePipeFunction, Object, Flow.Publisher)}, with options;
     * {@code cancel} on the future cancels the call in the worker.
     */
    <Q, U, R> CompletableFuture<R> reversePipeAsync(
            ReversePipeFunction<Q, U, R> function, Q query, Flow.Publisher<? extends U> updates, CallOptions options);

    /**
     * Calls a state function and waits for its initial state; the updates follow as a stream.
     *
     * @throws RemoteException if the function threw before its initial state
     * @throws ConnectionException if the connection is closed or lost
     */
    default <A, S, U> RemoteState<S, U> state(StateFunction<A, S, U> function, A arg) {
        return state(function, arg, CallOptions.defaults());
    }

    /**
     * As {@link #state(StateFunction, Object)}, with options: the deadline bounds the wait for the
     * initial state and the updates that follow.
     */
    <A, S, U> RemoteState<S, U> state(StateFunction<A, S, U> function, A arg, CallOptions options);

    /**
     * Built in: the worker stops accepting new connections; open ones, this one included, keep
     * working. Waits for the acknowledgement.
     */
    void closeServer();

    /**
     * Built in: subscribes to the worker's log. The stream gets the events logged from now on
     * (none from before), until it is closed; any number of subscribers may stream at once.
     * Events are captured when the worker logs through Log4j core (the application has
     * {@code log4j-core} on its class path, as the distribution does); with another backend
     * (Logback, say) the stream's only event is a WARN saying so, and the worker's events go to
     * its own log output, configured as the master's.
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
