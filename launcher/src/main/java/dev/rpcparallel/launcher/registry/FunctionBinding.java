package dev.rpcparallel.launcher.registry;

import dev.rpcparallel.api.DirectPipeFunction;
import dev.rpcparallel.api.OneWayFunction;
import dev.rpcparallel.api.PipeFunction;
import dev.rpcparallel.api.ReversePipeFunction;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.StateFunction;
import dev.rpcparallel.api.WorkerFunction;
import dev.rpcparallel.spi.DirectPipeImplementation;
import dev.rpcparallel.spi.OneWayImplementation;
import dev.rpcparallel.spi.PipeImplementation;
import dev.rpcparallel.spi.ReversePipeImplementation;
import dev.rpcparallel.spi.RpcImplementation;
import dev.rpcparallel.spi.StateImplementation;

/**
 * A function handle bound to its implementation as the plugin declared them, with their types:
 * what serves it is made from it by a {@link Binder}, once, at registration time, so that
 * nothing on the call path needs to know the function's kind or cast its implementation.
 */
public interface FunctionBinding {

    /** The function's handle: name, kind and codecs. */
    WorkerFunction function();

    /** Hands the handle and its implementation, typed, to the method of {@code binder} for their kind. */
    <T> T bind(Binder<T> binder);

    record Rpc<A, R>(RpcFunction<A, R> function, RpcImplementation<Object, Object, A, R> implementation)
            implements FunctionBinding {
        @Override
        public <T> T bind(Binder<T> binder) {
            return binder.rpc(function, implementation);
        }
    }

    record OneWay<A>(OneWayFunction<A> function, OneWayImplementation<Object, Object, A> implementation)
            implements FunctionBinding {
        @Override
        public <T> T bind(Binder<T> binder) {
            return binder.oneWay(function, implementation);
        }
    }

    record Pipe<A, E>(PipeFunction<A, E> function, PipeImplementation<Object, Object, A, E> implementation)
            implements FunctionBinding {
        @Override
        public <T> T bind(Binder<T> binder) {
            return binder.pipe(function, implementation);
        }
    }

    record DirectPipe<A, E>(DirectPipeFunction<A, E> function,
            DirectPipeImplementation<Object, Object, A, E> implementation) implements FunctionBinding {
        @Override
        public <T> T bind(Binder<T> binder) {
            return binder.directPipe(function, implementation);
        }
    }

    record State<A, S, U>(StateFunction<A, S, U> function,
            StateImplementation<Object, Object, A, S, U> implementation) implements FunctionBinding {
        @Override
        public <T> T bind(Binder<T> binder) {
            return binder.state(function, implementation);
        }
    }

    record ReversePipe<Q, U, R>(ReversePipeFunction<Q, U, R> function,
            ReversePipeImplementation<Object, Object, Q, U, R> implementation) implements FunctionBinding {
        @Override
        public <T> T bind(Binder<T> binder) {
            return binder.reversePipe(function, implementation);
        }
    }

    /** Makes something of each kind of bound function: one method per kind. */
    interface Binder<T> {
        <A, R> T rpc(RpcFunction<A, R> function, RpcImplementation<Object, Object, A, R> implementation);

        <A> T oneWay(OneWayFunction<A> function, OneWayImplementation<Object, Object, A> implementation);

        <A, E> T pipe(PipeFunction<A, E> function, PipeImplementation<Object, Object, A, E> implementation);

        <A, E> T directPipe(DirectPipeFunction<A, E> function,
                DirectPipeImplementation<Object, Object, A, E> implementation);

        <A, S, U> T state(StateFunction<A, S, U> function, StateImplementation<Object, Object, A, S, U> implementation);

        <Q, U, R> T reversePipe(ReversePipeFunction<Q, U, R> function,
                ReversePipeImplementation<Object, Object, Q, U, R> implementation);
    }
}
