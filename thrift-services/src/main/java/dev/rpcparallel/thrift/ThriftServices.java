package dev.rpcparallel.thrift;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.annotation.API;
import java.lang.reflect.Proxy;
import java.util.function.Function;
import org.apache.thrift.TBaseProcessor;

/**
 * Thrift services on rpc-parallel: a worker type from a service, and its generated interfaces
 * called on a {@link Connection}.
 *
 * <pre>{@code
 * // the plugin: a constant, and a ThriftServiceWorker serving a handler
 * public static final ThriftWorkerType<Calculator.Iface> TYPE =
 *         ThriftServices.workerType("calculator", Calculator.Iface.class, Calculator.Processor::new);
 *
 * // the master
 * WorkerRef worker = Parallel.spawn(TYPE.type(), null, SpawnOptions.defaults());
 * try (Connection connection = Parallel.connect(worker)) {
 *     Calculator.Iface calculator = ThriftServices.client(connection, Calculator.Iface.class);
 *     int sum = calculator.add(1, 2);
 * }
 * }</pre>
 *
 * <p>Each method of the service is a function of the worker type, numbered by method name; its
 * argument and result are the method's generated {@code _args} and {@code _result} structs in
 * Thrift's compact protocol. Unlike a Thrift client on a socket, which has one call in flight
 * at a time, a client from here may be called from any number of threads at once: its calls
 * are multiplexed on the connection with every other call.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ThriftServices {
    private ThriftServices() {}

    /**
     * A worker type serving the service of {@code iface}.
     *
     * @param name the worker type's name (see {@link dev.rpcparallel.api.WorkerType})
     * @param iface the service's generated synchronous interface, such as {@code Calculator.Iface.class}
     * @param processors the generated processor's constructor, such as {@code Calculator.Processor::new}
     * @throws IllegalArgumentException if the name is not valid or {@code iface} is not a generated {@code Iface}
     */
    public static <I> ThriftWorkerType<I> workerType(
            String name, Class<I> iface, Function<? super I, ? extends TBaseProcessor<I>> processors) {
        return new ThriftWorkerType<>(name, iface, processors);
    }

    /**
     * The service's generated synchronous interface, called on {@code connection}. A method
     * returns the worker's return value, or throws the method's declared exception as the
     * worker's handler threw it; an undeclared exception in the worker reaches the caller as a
     * {@link dev.rpcparallel.api.RemoteException}, a lost connection as a
     * {@link dev.rpcparallel.api.ConnectionException}. A {@code oneway} method returns once the
     * call is sent. Thread-safe; valid as long as the connection is open.
     *
     * @param iface the generated interface, such as {@code Calculator.Iface.class}
     * @throws IllegalArgumentException if {@code iface} is not a generated {@code Iface}
     */
    public static <I> I client(Connection connection, Class<I> iface) {
        requireNonNull(connection, "connection");
        ThriftService service = ThriftService.of(requireNonNull(iface, "iface"));
        if (!iface.isInterface() || !iface.getSimpleName().equals("Iface")) {
            throw new IllegalArgumentException("ThriftServices.client takes the generated synchronous interface,"
                    + " such as Calculator.Iface.class, not " + iface.getName()
                    + " (for futures, use ThriftServices.futureClient with Calculator.FutureIface.class)");
        }
        return iface.cast(Proxy.newProxyInstance(
                iface.getClassLoader(), new Class<?>[] {iface}, new SyncClient(connection, service, iface)));
    }

    /**
     * The service's generated future interface ({@code FutureIface}, generated with
     * {@code thrift --gen java:future_iface}), called on {@code connection}: each method returns
     * at once; its future completes with the return value, or exceptionally with the declared
     * exception, a {@link dev.rpcparallel.api.RemoteException} or the call's failure. Thread-safe.
     *
     * @param futureIface the generated interface, such as {@code Calculator.FutureIface.class}
     * @throws IllegalArgumentException if {@code futureIface} is not a generated {@code FutureIface}
     */
    public static <F> F futureClient(Connection connection, Class<F> futureIface) {
        requireNonNull(connection, "connection");
        ThriftService service = ThriftService.of(requireNonNull(futureIface, "futureIface"));
        if (!futureIface.isInterface() || !futureIface.getSimpleName().equals("FutureIface")) {
            throw new IllegalArgumentException("ThriftServices.futureClient takes the generated future interface,"
                    + " such as Calculator.FutureIface.class (thrift --gen java:future_iface), not "
                    + futureIface.getName());
        }
        return futureIface.cast(Proxy.newProxyInstance(futureIface.getClassLoader(), new Class<?>[] {futureIface},
                new FutureClient(connection, service, futureIface)));
    }
}
