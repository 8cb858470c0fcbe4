package dev.rpcparallel.mapreduce;

import dev.rpcparallel.api.RpcParallelException;

/**
 * A {@link WorkerPool} could not be started (cause: the first worker's failure, such as a
 * {@link dev.rpcparallel.api.SpawnException}; the others' are suppressed), or could not shut
 * every worker down (the failures are suppressed). The message names the pool's worker type and
 * the worker.
 */
public class WorkerPoolException extends RpcParallelException {
    private static final long serialVersionUID = 1L;

    public WorkerPoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
