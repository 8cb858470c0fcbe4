package dev.rpcparallel.thrift;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.api.annotation.API;
import dev.rpcparallel.spi.FunctionTable;
import dev.rpcparallel.spi.WorkerPlugin;
import java.util.function.Supplier;

/**
 * The plugin of a {@link ThriftWorkerType}: declares one function per method of the service (in
 * the service's wire order) and serves them with a handler implementing the generated
 * {@code Iface}. A plugin class extends it with a public no-argument constructor:
 *
 * <pre>{@code
 * @RpcParallelWorker("calculator")
 * public final class CalculatorWorker extends ThriftServiceWorker<Calculator.Iface> {
 *     public CalculatorWorker() {
 *         super(CalculatorService.TYPE, CalculatorHandler::new);
 *     }
 * }
 * }</pre>
 *
 * <p>Each worker creates one handler (with {@code handlers}, when the worker starts) and every
 * call of every connection goes to it, concurrently: the handler must be thread-safe. A method's
 * declared exception goes back to the caller as that exception; any other exception reaches the
 * caller as a {@code RemoteException} with this worker's stack trace, and an exception from a
 * {@code oneway} method is a failure of the worker, as for any one-way function.
 *
 * @param <I> the generated {@code Iface} of the service
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public abstract class ThriftServiceWorker<I> implements WorkerPlugin<Void, Object, Void, Void> {
    private final ThriftWorkerType<I> type;
    private final Supplier<? extends I> handlers;

    /**
     * @param type the worker type served
     * @param handlers creates the handler of a worker, once per worker
     */
    protected ThriftServiceWorker(ThriftWorkerType<I> type, Supplier<? extends I> handlers) {
        this.type = requireNonNull(type, "type");
        this.handlers = requireNonNull(handlers, "handlers");
    }

    @Override
    public final WorkerType<Void, Void> type() {
        return type.type();
    }

    @Override
    public final Object initWorkerState(Void initArg) {
        I handler = handlers.get();
        if (!type.iface().isInstance(handler)) {
            throw new IllegalStateException("The handler of worker type '" + type.name() + "' must implement "
                    + type.iface().getName() + ", and " + (handler == null ? "null" : handler.getClass().getName())
                    + " does not");
        }
        return ServedService.of(type, handler);
    }

    @Override
    public final void defineFunctions(FunctionTable<Object, Void> functions) {
        for (ThriftMethod method : type.service().methods()) {
            if (method.isOneWay()) {
                functions.oneWay(method.oneWayFunction(), (call, args) -> served(call.workerState()).call(method, args));
            } else {
                functions.rpc(method.rpcFunction(), (call, args) -> served(call.workerState()).call(method, args));
            }
        }
    }

    /** The worker state is the served service (a package-private type, so not in this class's signature). */
    @SuppressWarnings("unchecked")
    private static <I> ServedService<I> served(Object workerState) {
        return (ServedService<I>) workerState;
    }
}
