package dev.rpcparallel.spi;

import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.api.annotation.API;

/**
 * A worker type's implementation, found with {@link java.util.ServiceLoader}: the plugin jar
 * lists the class in {@code META-INF/services/dev.rpcparallel.spi.WorkerPlugin} and its type
 * name in its worker listing ({@code META-INF/rpc-parallel/workers.list}), which pins the order
 * and so the numeric ids used on the wire. Annotate the class with {@link RpcParallelWorker} and
 * the annotation processor {@code rpc-parallel-processor} writes both files.
 *
 * <pre>{@code
 * @RpcParallelWorker("primes")
 * public final class PrimesWorker implements WorkerPlugin<Void, Void, Void, Void> {
 *     public WorkerType<Void, Void> type() { return Primes.TYPE; }
 *     public void defineFunctions(FunctionTable<Void, Void> functions) {
 *         functions.rpc(Primes.COUNT, (call, range) -> Sieve.count(range.from(), range.to()));
 *     }
 * }
 * }</pre>
 *
 * <p>Instantiated once per process through a public no-argument constructor, in the master
 * (to learn the functions and compute the registry fingerprint) and in every worker. The same
 * plugin must define the same functions in the same order in every process of an application.
 * {@link #initWorkerState} runs once per worker; {@link #initConnectionState} once per
 * connection, possibly on several threads at once. An exception from either fails the spawn or
 * the connect that caused it and reaches the caller with its remote stack trace.
 *
 * @param <I> the worker-state init argument (given to spawn)
 * @param <S> the worker state, shared by every connection
 * @param <A> the connection-state init argument (given to connect)
 * @param <C> the connection state
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface WorkerPlugin<I, S, A, C> {

    /** The worker type this plugin implements; its name is the plugin's stable id. */
    WorkerType<I, A> type();

    /**
     * Creates the worker's state, once, before the worker accepts connections. The default, for
     * a stateless worker type, returns {@code null}.
     */
    default S initWorkerState(I initArg) throws Exception {
        return null;
    }

    /**
     * Creates the state of one connection. The default, for a worker type without connection
     * state, returns {@code null}.
     */
    default C initConnectionState(A connectionArg, S workerState) throws Exception {
        return null;
    }

    /** Declares the functions, in a fixed order: the order numbers them on the wire. */
    void defineFunctions(FunctionTable<S, C> functions);
}
