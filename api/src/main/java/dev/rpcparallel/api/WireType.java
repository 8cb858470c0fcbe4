package dev.rpcparallel.api;

import org.apache.thrift.TException;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TType;

/**
 * How values of one Java type are written as a single Thrift value with the compact protocol.
 *
 * <p>The building block of the built-in codecs: a {@link WireCodec} writes one value of a wire
 * type as its whole encoding, lists, maps and records write their elements and components
 * through the element's wire type. Implementations are immutable and thread-safe; the protocol
 * passed in belongs to one call.
 *
 * <p>{@link #write} never receives {@code null}: callers check for null first, because only
 * they know whether a missing value is allowed. Both methods report a bad value or bad input by
 * throwing {@link CodecException} with a message that does not yet name the codec; the
 * enclosing {@link WireCodec} adds that.
 *
 * @param <T> the Java type of the values
 */
abstract class WireType<T> {
    private final String name;
    private final byte ttype;

    WireType(String name, byte ttype) {
        this.name = name;
        this.ttype = ttype;
    }

    /** The stable descriptor, such as {@code "i64"} or {@code "list<string>"}. */
    final String name() {
        return name;
    }

    /** The Thrift type ({@link TType}) this wire type is written as. */
    final byte ttype() {
        return ttype;
    }

    /** Writes a non-null value. */
    abstract void write(TProtocol out, T value) throws TException;

    /** Reads one value; never returns {@code null}. */
    abstract T read(TProtocol in) throws TException;

    @Override
    public final String toString() {
        return name;
    }

    /** A readable name for a Thrift type code, for error messages. */
    static String ttypeName(byte ttype) {
        return switch (ttype) {
            case TType.STOP -> "stop";
            case TType.BOOL -> "bool";
            case TType.BYTE -> "byte";
            case TType.DOUBLE -> "double";
            case TType.I16 -> "i16";
            case TType.I32 -> "i32";
            case TType.I64 -> "i64";
            case TType.STRING -> "binary";
            case TType.STRUCT -> "struct";
            case TType.MAP -> "map";
            case TType.SET -> "set";
            case TType.LIST -> "list";
            case TType.UUID -> "uuid";
            default -> "type " + ttype;
        };
    }
}
