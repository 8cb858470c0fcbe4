package dev.rpcparallel.launcher.server;

import dev.rpcparallel.api.DirectPipeFunction;
import dev.rpcparallel.api.OneWayFunction;
import dev.rpcparallel.api.PipeFunction;
import dev.rpcparallel.api.ReversePipeFunction;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.StateFunction;
import dev.rpcparallel.launcher.registry.FunctionBinding;
import dev.rpcparallel.launcher.registry.RegisteredFunction;
import dev.rpcparallel.spi.DirectPipeImplementation;
import dev.rpcparallel.spi.OneWayImplementation;
import dev.rpcparallel.spi.PipeImplementation;
import dev.rpcparallel.spi.ReversePipeImplementation;
import dev.rpcparallel.spi.RpcImplementation;
import dev.rpcparallel.spi.StateImplementation;

/** Binds a registered function into the typed {@link ServerMethod} of its kind. */
final class ServerMethods implements FunctionBinding.Binder<ServerMethod> {
    private final Contexts contexts;

    private ServerMethods(Contexts contexts) {
        this.contexts = contexts;
    }

    static ServerMethod bind(RegisteredFunction function, Contexts contexts) {
        return function.binding().bind(new ServerMethods(contexts));
    }

    @Override
    public <A, R> ServerMethod rpc(RpcFunction<A, R> function, RpcImplementation<Object, Object, A, R> implementation) {
        return new RpcMethod<>(function, implementation, contexts);
    }

    @Override
    public <A> ServerMethod oneWay(OneWayFunction<A> function, OneWayImplementation<Object, Object, A> implementation) {
        return new OneWayMethod<>(function, implementation, contexts);
    }

    @Override
    public <A, E> ServerMethod pipe(PipeFunction<A, E> function, PipeImplementation<Object, Object, A, E> implementation) {
        return new PipeMethod<>(function, implementation, contexts);
    }

    @Override
    public <A, E> ServerMethod directPipe(DirectPipeFunction<A, E> function,
            DirectPipeImplementation<Object, Object, A, E> implementation) {
        return new DirectPipeMethod<>(function, implementation, contexts);
    }

    @Override
    public <A, S, U> ServerMethod state(StateFunction<A, S, U> function,
            StateImplementation<Object, Object, A, S, U> implementation) {
        return new StateMethod<>(function, implementation, contexts);
    }

    @Override
    public <Q, U, R> ServerMethod reversePipe(ReversePipeFunction<Q, U, R> function,
            ReversePipeImplementation<Object, Object, Q, U, R> implementation) {
        return new ReversePipeMethod<>(function, implementation, contexts);
    }
}
