package dev.rpcparallel.thrift;

import dev.rpcparallel.api.Connection;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;

/**
 * The generated synchronous interface ({@code Iface}) of a service, called on a connection: each
 * call is one call of the method's function, multiplexed with every other call on the
 * connection, so any number of threads may call at once. Thread-safe.
 */
final class SyncClient implements InvocationHandler {
    private final Connection connection;
    private final ThriftService service;
    private final Map<Method, ThriftMethod> methods = new HashMap<>();

    SyncClient(Connection connection, ThriftService service, Class<?> iface) {
        this.connection = connection;
        this.service = service;
        for (Method method : iface.getMethods()) {
            methods.put(method, service.method(method.getName()).orElseThrow());
        }
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] arguments) throws Throwable {
        ThriftMethod thrift = methods.get(method);
        if (thrift == null) {
            return ObjectMethods.invoke(proxy, method, arguments, this::toString);
        }
        if (thrift.isOneWay()) {
            connection.oneWay(thrift.oneWayFunction(), thrift.args(arguments));
            return null;
        }
        return thrift.unpack(connection.call(thrift.rpcFunction(), thrift.args(arguments)));
    }

    @Override
    public String toString() {
        return service.name() + " client on " + connection.worker();
    }
}
