package dev.rpcparallel.spi;

import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.api.annotation.API;

/**
 * The body of a reverse pipe: reads the caller's updates (a blocking, flow-controlled stream)
 * and returns the one result. It may return before reading every update; the caller then stops
 * sending. An exception reaches the caller as a {@code RemoteException}.
 */
@API(status = API.Status.STABLE, since = "0.1")
@FunctionalInterface
public interface ReversePipeImplementation<S, C, Q, U, R> {
    R call(CallContext<S, C> context, Q query, RemoteStream<U> updates) throws Exception;
}
