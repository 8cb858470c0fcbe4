package dev.rpcparallel.spi;

import dev.rpcparallel.api.annotation.API;

/**
 * The body of a request/response function. Runs on a worker thread; calls on one connection
 * may run concurrently, so shared state must be thread-safe. An exception reaches the caller
 * as a {@code RemoteException} with this worker's stack trace.
 */
@API(status = API.Status.STABLE, since = "0.1")
@FunctionalInterface
public interface RpcImplementation<S, C, A, R> {
    R call(CallContext<S, C> context, A arg) throws Exception;
}
