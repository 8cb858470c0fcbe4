package dev.rpcparallel.spi;

import dev.rpcparallel.api.RpcFunction;

/**
 * Where a {@link WorkerPlugin} declares its functions. The declaration order numbers the
 * functions on the wire; a name declared twice is an error.
 *
 * @param <S> the worker state
 * @param <C> the connection state
 */
public interface FunctionTable<S, C> {

    /** Declares a request/response function and its implementation. */
    <A, R> FunctionTable<S, C> rpc(RpcFunction<A, R> function, RpcImplementation<S, C, A, R> implementation);
}
