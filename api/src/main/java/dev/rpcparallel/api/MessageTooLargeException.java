package dev.rpcparallel.api;

import dev.rpcparallel.api.annotation.API;

/**
 * A value is larger than the maximum message size ({@link RpcSettings#maxMessageSize()}): an
 * argument the caller sends, or a result a worker would send back. Nothing of it was sent and
 * the connection stays open for other calls. The message names the function, the worker, the
 * size and the limit. The fix: raise {@code maxMessageSize} in the master's settings (every
 * process of the application then uses it), or send large data in pieces, through a pipe or a
 * reverse pipe.
 */
@API(status = API.Status.STABLE, since = "0.1")
public class MessageTooLargeException extends RpcParallelException {
    private static final long serialVersionUID = 1L;

    public MessageTooLargeException(String message) {
        super(message);
    }

    public MessageTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
