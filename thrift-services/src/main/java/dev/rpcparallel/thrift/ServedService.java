package dev.rpcparallel.thrift;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.thrift.ProcessFunction;
import org.apache.thrift.TBase;
import org.apache.thrift.TException;

/**
 * A worker's state for a Thrift worker type: the handler that implements the service and the
 * generated process function of each method, which calls the handler and puts a declared
 * exception into the result struct. Immutable; the handler must be thread-safe, because calls
 * on one worker run concurrently.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
final class ServedService<I> {
    private final I handler;
    private final Map<String, ProcessFunction> functions;

    private ServedService(I handler, Map<String, ProcessFunction> functions) {
        this.handler = handler;
        this.functions = functions;
    }

    /**
     * The handler served through the processor of {@code type}.
     *
     * @throws IllegalStateException if the processor's methods are not the service's (a
     *     processor of another service, or from another version of the generated code)
     */
    static <I> ServedService<I> of(ThriftWorkerType<I> type, I handler) {
        Map<String, ProcessFunction> functions = new HashMap<>((Map) type.processor(handler).getProcessMapView());
        for (ThriftMethod method : type.service().methods()) {
            ProcessFunction function = functions.get(method.name());
            if (function == null || function.isOneway() != method.isOneWay()) {
                throw new IllegalStateException("The processor of worker type '" + type.name()
                        + "' does not serve the methods of " + type.service() + " (its methods: "
                        + new TreeSet<>(functions.keySet()) + "): pass the Processor generated with the"
                        + " same service, such as Calculator.Processor::new for Calculator.Iface");
            }
        }
        return new ServedService<>(handler, Map.copyOf(functions));
    }

    /**
     * Runs one method: its result struct, holding the return value or a declared exception;
     * {@code null} for a oneway method. An undeclared exception is thrown.
     */
    TBase call(ThriftMethod method, TBase args) throws TException {
        return functions.get(method.name()).getResult(handler, args);
    }
}
