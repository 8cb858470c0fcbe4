package dev.rpcparallel.launcher.protocol;

import dev.rpcparallel.api.Codec;
import dev.rpcparallel.api.CodecException;
import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameKind;

/**
 * Payloads in and out of their codecs, with the one wording of a codec's failure ("Cannot
 * encode the argument of function 'f' with codec i64: ..."), and frames made from a slice of a
 * read buffer.
 */
public final class Payloads {
    private Payloads() {}

    /**
     * Encodes {@code value}; the error's text is built only on failure.
     *
     * @param what what is encoded: {@code "the argument"}
     * @param functionName the function it belongs to, or {@code null} (then {@code what} says all)
     * @throws CodecException naming {@code what}, the function and the codec, if the codec fails
     */
    public static <T> byte[] encode(Codec<T> codec, T value, String what, String functionName) {
        try {
            return codec.encode(value);
        } catch (CodecException e) {
            throw new CodecException("Cannot encode " + describe(what, functionName, null) + " with codec "
                    + codec.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Decodes {@code bytes}; the error's text is built only on failure.
     *
     * @param what what is decoded: {@code "the result"}
     * @param functionName the function it belongs to, or {@code null}
     * @param workerName the worker it came from, or {@code null} (in the worker itself)
     * @throws CodecException naming {@code what}, the function, the worker and the codec, if the codec fails
     */
    public static <T> T decode(Codec<T> codec, byte[] bytes, String what, String functionName, String workerName) {
        try {
            return codec.decode(bytes);
        } catch (CodecException e) {
            throw new CodecException("Cannot decode " + describe(what, functionName, workerName) + " with codec "
                    + codec.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Encodes a value whose type is checked only now (a connection argument given as an object):
     * a value of another type than the codec's fails like a value the codec refuses.
     *
     * @param what what is encoded, all of it: {@code "the connection argument of worker type 't'"}
     */
    public static byte[] encodeChecked(Codec<?> codec, Object value, String what) {
        @SuppressWarnings("unchecked")
        Codec<Object> untyped = (Codec<Object>) codec;
        try {
            return untyped.encode(value);
        } catch (CodecException | ClassCastException e) {
            throw new CodecException("Cannot encode " + what + " with codec " + codec.name() + ": " + e.getMessage(), e);
        }
    }

    private static String describe(String what, String functionName, String workerName) {
        return what + (functionName == null ? "" : " of function '" + functionName + "'")
                + (workerName == null ? "" : " from worker '" + workerName + "'");
    }

    /** A frame with a copy of bytes {@code offset} to {@code offset + length} of {@code buffer}. */
    public static Frame frame(FrameKind kind, long callId, int functionId, byte[] buffer, int offset, int length) {
        byte[] payload = length == 0 ? Frame.noPayload() : java.util.Arrays.copyOfRange(buffer, offset, offset + length);
        return new Frame(kind, callId, functionId, payload);
    }
}
