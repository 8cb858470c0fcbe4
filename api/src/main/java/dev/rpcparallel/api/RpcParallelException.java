package dev.rpcparallel.api;

import dev.rpcparallel.api.annotation.API;

/**
 * The root of every exception this library throws for a failure. Subclasses say what failed: a
 * remote function ({@link RemoteException}), a spawn ({@link SpawnException}), a connection
 * ({@link ConnectionException}), a codec ({@link CodecException}), a value over the maximum
 * message size ({@link MessageTooLargeException}), the plugin registry ({@link RegistryException}),
 * a call's deadline ({@link DeadlineExceededException}), a map-reduce job
 * ({@code MapReduceException}) or, given to failure callbacks, a worker
 * ({@link WorkerFailedException}). This class itself is thrown for the rest: no runtime or
 * transport found, a call a worker refuses, an interrupted wait.
 */
@API(status = API.Status.STABLE, since = "0.1")
public class RpcParallelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RpcParallelException(String message) {
        super(message);
    }

    public RpcParallelException(String message, Throwable cause) {
        super(message, cause);
    }
}
