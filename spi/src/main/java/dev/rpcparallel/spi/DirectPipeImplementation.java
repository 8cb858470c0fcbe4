package dev.rpcparallel.spi;

/**
 * The body of a direct pipe: starts pushing elements to {@code writer}, on this thread or on
 * others, and may return before the pipe ends; the pipe ends with {@code writer.close()}. An
 * exception thrown here closes the pipe and reaches the caller as a {@code RemoteException}.
 */
@FunctionalInterface
public interface DirectPipeImplementation<S, C, A, E> {
    void start(CallContext<S, C> context, A arg, DirectPipeWriter<E> writer) throws Exception;
}
