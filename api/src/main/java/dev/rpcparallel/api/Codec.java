package dev.rpcparallel.api;

import dev.rpcparallel.api.annotation.API;

/**
 * Encodes and decodes the values of one Java type for the wire.
 *
 * <p>Every argument, result, init argument and stream element crosses the process boundary
 * through a codec chosen per function. The built-in codecs in {@link Codecs} encode with
 * Thrift's compact protocol; an application may supply its own. Java serialization is never
 * used.
 *
 * <p>Contract: implementations are immutable and thread-safe; {@code decode(encode(v))}
 * equals {@code v}; {@link #name()} is stable across builds, because it is part of the
 * registry fingerprint that a master and its workers compare at every handshake. Both methods
 * report bad input by throwing {@link CodecException}, never by returning {@code null}.
 *
 * @param <T> the Java type of the values
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface Codec<T> {

    /**
     * Encodes a value.
     *
     * @throws CodecException if the value cannot be encoded (for example a {@code null} where
     *     the codec does not allow one)
     */
    byte[] encode(T value);

    /**
     * Decodes bytes produced by {@link #encode}.
     *
     * @throws CodecException if the bytes are not a valid encoding
     */
    T decode(byte[] bytes);

    /**
     * A stable description of the encoding, such as {@code "string"} or
     * {@code "list<i64>"}; part of the registry fingerprint.
     */
    String name();
}
