package dev.rpcparallel.api;

/**
 * The root of every exception this library throws. Subclasses say what failed: a remote
 * function ({@link RemoteException}), a spawn ({@link SpawnException}), a connection
 * ({@link ConnectionException}), a codec ({@link CodecException}), the plugin registry
 * ({@link RegistryException}) or a call's deadline ({@link DeadlineExceededException}).
 */
public class RpcParallelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RpcParallelException(String message) {
        super(message);
    }

    public RpcParallelException(String message, Throwable cause) {
        super(message, cause);
    }
}
