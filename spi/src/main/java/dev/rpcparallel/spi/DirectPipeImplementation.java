package dev.rpcparallel.spi;

import dev.rpcparallel.api.annotation.API;

/**
 * The body of a direct pipe: starts pushing elements to {@code writer}, on this thread or on
 * others, and may return before the pipe ends; the pipe ends with {@code writer.close()}. An
 * exception thrown here closes the pipe and reaches the caller as a {@code RemoteException}.
 */
@API(status = API.Status.STABLE, since = "0.1")
@FunctionalInterface
public interface DirectPipeImplementation<S, C, A, E> {
    void start(CallContext<S, C> context, A arg, DirectPipeWriter<E> writer) throws Exception;
}
