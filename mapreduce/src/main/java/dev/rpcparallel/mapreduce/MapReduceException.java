package dev.rpcparallel.mapreduce;

import dev.rpcparallel.api.RpcParallelException;

/**
 * A map-reduce job failed: the function threw on an input (cause: a
 * {@link dev.rpcparallel.api.RemoteException}), a worker died with retries off, or every worker
 * died (cause: the {@link dev.rpcparallel.api.ConnectionException} that names how the process
 * ended), a worker could not be started (cause: a {@link dev.rpcparallel.api.SpawnException}), or
 * the master's combine function or callback threw. The message names the input's index and the
 * worker and repeats the first line of the cause.
 */
public class MapReduceException extends RpcParallelException {
    private static final long serialVersionUID = 1L;

    private final long inputIndex;

    public MapReduceException(String message, long inputIndex, Throwable cause) {
        super(message, cause);
        this.inputIndex = inputIndex;
    }

    /** The index of the input being mapped when the job failed, or -1 if the failure was not about one input. */
    public long inputIndex() {
        return inputIndex;
    }
}
