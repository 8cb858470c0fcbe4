package dev.rpcparallel.spi;

import dev.rpcparallel.api.annotation.API;

/**
 * The body of a pipe: writes the elements to {@code out} and returns to end the stream. Runs on
 * a worker thread for as long as it produces. An exception reaches the caller as a
 * {@code RemoteException} after every element written before it.
 */
@API(status = API.Status.STABLE, since = "0.1")
@FunctionalInterface
public interface PipeImplementation<S, C, A, E> {
    void produce(CallContext<S, C> context, A arg, PipeWriter<E> out) throws Exception;
}
