package dev.rpcparallel.thrift;

import dev.rpcparallel.api.Connection;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.thrift.TException;

/**
 * The generated future interface ({@code FutureIface}, generated with the Java option
 * {@code future_iface}) of a service, called on a connection: each call returns at once with a
 * future that completes with the method's return value, or exceptionally with its declared
 * exception or the call's failure. A oneway method's future completes when the call is sent.
 * Thread-safe.
 */
final class FutureClient implements InvocationHandler {
    private final Connection connection;
    private final ThriftService service;
    private final Map<Method, ThriftMethod> methods = new HashMap<>();

    FutureClient(Connection connection, ThriftService service, Class<?> futureIface) {
        this.connection = connection;
        this.service = service;
        for (Method method : futureIface.getMethods()) {
            if (method.getReturnType() != CompletableFuture.class) {
                throw new IllegalArgumentException(futureIface.getName() + "." + method.getName()
                        + " does not return a CompletableFuture: pass the interface FutureIface, generated with"
                        + " thrift --gen java:future_iface");
            }
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
            try {
                connection.oneWay(thrift.oneWayFunction(), thrift.args(arguments));
                return CompletableFuture.completedFuture(null);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return connection.callAsync(thrift.rpcFunction(), thrift.args(arguments)).thenApply(result -> {
            try {
                return thrift.unpack(result);
            } catch (TException e) {
                throw new CompletionException(e);
            }
        });
    }

    @Override
    public String toString() {
        return service.name() + " future client on " + connection.worker();
    }
}
