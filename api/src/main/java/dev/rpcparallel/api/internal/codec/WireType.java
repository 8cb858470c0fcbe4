package dev.rpcparallel.api.internal.codec;

import dev.rpcparallel.api.annotation.API;

/**
 * How values of one Java type are written as a single Thrift value with the compact protocol.
 *
 * <p>The building block of the built-in codecs: a codec writes one value of a wire type as its
 * whole encoding; lists, maps and records write their elements and components through the
 * element's wire type. Implementations are immutable and thread-safe; the writer and reader
 * passed in belong to one call.
 *
 * <p>{@link #write} never receives {@code null}: callers check for null first, because only
 * they know whether a missing value is allowed. Both methods report a bad value or bad input by
 * throwing {@link WireFormatException} with a message that does not yet name the codec; the
 * enclosing codec adds that.
 *
 * @param <T> the Java type of the values
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public abstract class WireType<T> {
    private final String name;
    private final byte valueType;

    protected WireType(String name, byte valueType) {
        this.name = name;
        this.valueType = valueType;
    }

    /** The stable descriptor, such as {@code "i64"} or {@code "list<string>"}. */
    public final String name() {
        return name;
    }

    /** The Thrift value type ({@link ValueType}) this wire type is written as. */
    public final byte valueType() {
        return valueType;
    }

    /** Writes a non-null value. */
    public abstract void write(CompactWriter out, T value);

    /** Reads one value; never returns {@code null}. */
    public abstract T read(CompactReader in);

    @Override
    public final String toString() {
        return name;
    }
}
