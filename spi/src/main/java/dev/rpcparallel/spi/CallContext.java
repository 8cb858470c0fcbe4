package dev.rpcparallel.spi;

import dev.rpcparallel.api.WorkerRef;

/**
 * What a function implementation can see of the worker and the connection it is called on.
 *
 * @param <S> the worker state
 * @param <C> the connection state
 */
public interface CallContext<S, C> {

    /** The worker's state, as returned by {@link WorkerPlugin#initWorkerState}. */
    S workerState();

    /** This connection's state, as returned by {@link WorkerPlugin#initConnectionState}. */
    C connectionState();

    /** The worker serving the call. */
    WorkerRef self();
}
