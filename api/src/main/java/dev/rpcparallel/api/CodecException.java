package dev.rpcparallel.api;

import dev.rpcparallel.api.annotation.API;

/** A value could not be encoded or decoded by a {@link Codec}; the message names the codec. */
@API(status = API.Status.STABLE, since = "0.1")
public class CodecException extends RpcParallelException {
    private static final long serialVersionUID = 1L;

    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
