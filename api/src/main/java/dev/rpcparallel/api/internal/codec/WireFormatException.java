package dev.rpcparallel.api.internal.codec;

import dev.rpcparallel.api.annotation.API;

/**
 * A value that cannot be written, or bytes that are not a valid encoding. The message says what
 * is wrong but not which codec: the public codec that catches it adds its own name.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class WireFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WireFormatException(String message) {
        super(message);
    }

    public WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
