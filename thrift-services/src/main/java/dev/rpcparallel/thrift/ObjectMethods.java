package dev.rpcparallel.thrift;

import java.lang.reflect.Method;
import java.util.function.Supplier;

/** {@code equals}, {@code hashCode} and {@code toString} of a client proxy: identity, and a description. */
final class ObjectMethods {
    private ObjectMethods() {}

    static Object invoke(Object proxy, Method method, Object[] arguments, Supplier<String> description) {
        return switch (method.getName()) {
            case "equals" -> proxy == arguments[0];
            case "hashCode" -> System.identityHashCode(proxy);
            case "toString" -> description.get();
            default -> throw new UnsupportedOperationException(method.toString());
        };
    }
}
