package dev.rpcparallel.thrift;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.api.annotation.API;
import java.util.function.Function;
import org.apache.thrift.TBaseProcessor;

/**
 * A worker type whose functions are the methods of a Thrift service: what a plugin serves (by
 * extending {@link ThriftServiceWorker}) and what a master spawns ({@link #type()}). Made by
 * {@link ThriftServices#workerType}; a plugin exposes it as a constant:
 *
 * <pre>{@code
 * public static final ThriftWorkerType<Calculator.Iface> CALCULATOR =
 *         ThriftServices.workerType("calculator", Calculator.Iface.class, Calculator.Processor::new);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param <I> the generated {@code Iface} of the service
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ThriftWorkerType<I> {
    private final WorkerType<Void, Void> type;
    private final Class<I> iface;
    private final ThriftService service;
    private final Function<? super I, ? extends TBaseProcessor<I>> processors;

    ThriftWorkerType(String name, Class<I> iface, Function<? super I, ? extends TBaseProcessor<I>> processors) {
        this.type = WorkerType.of(name, Codecs.none(), Codecs.none());
        this.iface = requireNonNull(iface, "iface");
        if (!iface.isInterface() || !iface.getSimpleName().equals("Iface")) {
            throw new IllegalArgumentException("A Thrift worker type serves the generated synchronous interface,"
                    + " such as Calculator.Iface.class, not " + iface.getName());
        }
        this.service = ThriftService.of(iface);
        this.processors = requireNonNull(processors, "processors");
    }

    /** The worker type to spawn: no worker-state and no connection-state argument. */
    public WorkerType<Void, Void> type() {
        return type;
    }

    /** The worker type's name. */
    public String name() {
        return type.name();
    }

    /** The generated {@code Iface} the workers implement. */
    public Class<I> iface() {
        return iface;
    }

    /** The service, its methods in wire order. */
    public ThriftService service() {
        return service;
    }

    /** The generated processor for a handler: where each method's {@code getResult} comes from. */
    TBaseProcessor<I> processor(I handler) {
        return requireNonNull(processors.apply(handler), "the processor factory returned null");
    }

    @Override
    public String toString() {
        return "worker type " + name() + " (" + service + ")";
    }
}
