package dev.rpcparallel.api;

import java.util.concurrent.CompletableFuture;

/**
 * An authenticated connection to one worker, with its own connection state in the worker.
 *
 * <p>Thread-safe: any number of threads may call at once; calls are multiplexed on the one
 * connection and answered as they complete. A call made after {@link #close()}, or pending
 * when the worker goes away, fails with a {@link ConnectionException} that names the worker.
 * An exception thrown by the function arrives as a {@link RemoteException}.
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
