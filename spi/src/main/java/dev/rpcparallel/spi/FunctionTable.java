package dev.rpcparallel.spi;

import dev.rpcparallel.api.DirectPipeFunction;
import dev.rpcparallel.api.OneWayFunction;
import dev.rpcparallel.api.PipeFunction;
import dev.rpcparallel.api.ReversePipeFunction;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.StateFunction;
import dev.rpcparallel.api.annotation.API;

/**
 * Where a {@link WorkerPlugin} declares its functions, of every kind. The declaration order
 * numbers the functions on the wire; a name declared twice is an error.
 *
 * @param <S> the worker state
 * @param <C> the connection state
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface FunctionTable<S, C> {

    /** Declares a request/response function and its implementation. */
    <A, R> FunctionTable<S, C> rpc(RpcFunction<A, R> function, RpcImplementation<S, C, A, R> implementation);

    /** Declares a pipe (the worker streams elements, with backpressure) and its implementation. */
    <A, E> FunctionTable<S, C> pipe(PipeFunction<A, E> function, PipeImplementation<S, C, A, E> implementation);

    /** Declares a direct pipe (the worker pushes elements, abortable) and its implementation. */
    <A, E> FunctionTable<S, C> directPipe(
            DirectPipeFunction<A, E> function, DirectPipeImplementation<S, C, A, E> implementation);

    /** Declares a one-way function and its implementation. */
    <A> FunctionTable<S, C> oneWay(OneWayFunction<A> function, OneWayImplementation<S, C, A> implementation);

    /** Declares a reverse pipe (the caller streams updates, one result) and its implementation. */
    <Q, U, R> FunctionTable<S, C> reversePipe(
            ReversePipeFunction<Q, U, R> function, ReversePipeImplementation<S, C, Q, U, R> implementation);

    /** Declares a state function (initial state, then updates) and its implementation. */
    <A, T, U> FunctionTable<S, C> state(
            StateFunction<A, T, U> function, StateImplementation<S, C, A, T, U> implementation);
}
