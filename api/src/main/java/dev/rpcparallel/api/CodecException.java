package dev.rpcparallel.api;

/** A value could not be encoded or decoded by a {@link Codec}; the message names the codec. */
public class CodecException extends RpcParallelException {
    private static final long serialVersionUID = 1L;

    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
