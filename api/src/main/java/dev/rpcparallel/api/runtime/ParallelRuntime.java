package dev.rpcparallel.api.runtime;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.ForegroundWorker;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.api.annotation.API;

/**
 * What {@link dev.rpcparallel.api.Parallel} delegates to. Implemented once, by the launcher
 * module, and found with {@link java.util.ServiceLoader}. Applications call
 * {@code Parallel}, never this interface; its methods carry the contracts documented there.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public interface ParallelRuntime {

    void initMaster(RpcSettings settings);

    RpcSettings settings();

    boolean isWorkerProcess();

    void runAsWorker();

    <I> WorkerRef spawn(WorkerType<I, ?> type, I initArg, SpawnOptions options);

    <I> ForegroundWorker spawnInForeground(WorkerType<I, ?> type, I initArg, SpawnOptions options);

    <I, A> Connection spawnAndConnect(WorkerType<I, A> type, I initArg, A connectionArg, SpawnOptions options);

    <I> WorkerRef serve(WorkerType<I, ?> type, I initArg);

    /** Connects with a connection argument of the type registered for {@code worker.workerType()}. */
    Connection connect(WorkerRef worker, Object connectionArg);

    void shutdown(WorkerRef worker);

    void shutdownAll();

    /** See {@link dev.rpcparallel.api.Parallel#keepWarm(int, SpawnOptions)}. */
    default void keepWarm(int workers, SpawnOptions processOptions) {
        throw new UnsupportedOperationException(getClass().getName() + " has no warm pool; use the"
                + " rpc-parallel-launcher runtime of the same release as rpc-parallel-api");
    }

    /** Writes the access to a worker of this process to the user's private runtime directory. */
    default java.nio.file.Path exportAccess(WorkerRef worker) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot share workers; use the"
                + " rpc-parallel-launcher runtime of the same release as rpc-parallel-api");
    }

    /** Reads an access written by {@link #exportAccess}. */
    default dev.rpcparallel.api.WorkerAccess loadAccess(java.nio.file.Path file) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot share workers; use the"
                + " rpc-parallel-launcher runtime of the same release as rpc-parallel-api");
    }

    /** Connects to the worker of an access, proving its key. */
    default Connection connect(dev.rpcparallel.api.WorkerAccess access, Object connectionArg) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot share workers; use the"
                + " rpc-parallel-launcher runtime of the same release as rpc-parallel-api");
    }

    /** Shuts down the worker of an access, proving its key. */
    default void shutdown(dev.rpcparallel.api.WorkerAccess access) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot share workers; use the"
                + " rpc-parallel-launcher runtime of the same release as rpc-parallel-api");
    }
}
