package dev.rpcparallel.api.internal.codec;

import dev.rpcparallel.api.annotation.API;

/**
 * The Thrift value types a wire type is written as, with Thrift's own codes ({@code TType}), so
 * that messages and encodings read as Thrift's do. The compact protocol writes other codes on
 * the wire; {@link #toCompact} and {@link #fromCompact} translate.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ValueType {
    public static final byte STOP = 0;
    public static final byte BOOL = 2;
    public static final byte BYTE = 3;
    public static final byte DOUBLE = 4;
    public static final byte I16 = 6;
    public static final byte I32 = 8;
    public static final byte I64 = 10;
    public static final byte BINARY = 11;
    public static final byte STRUCT = 12;
    public static final byte MAP = 13;
    public static final byte SET = 14;
    public static final byte LIST = 15;
    public static final byte UUID = 16;

    /** Compact protocol type codes, indexed by value type; -1 where there is none. */
    private static final byte[] TO_COMPACT = new byte[17];
    /** Value types, indexed by compact type code; -1 where there is none. */
    private static final byte[] FROM_COMPACT = {
        STOP, BOOL, BOOL, BYTE, I16, I32, I64, DOUBLE, BINARY, LIST, SET, MAP, STRUCT, UUID, -1, -1};

    static {
        java.util.Arrays.fill(TO_COMPACT, (byte) -1);
        TO_COMPACT[STOP] = 0;
        TO_COMPACT[BOOL] = 1;
        TO_COMPACT[BYTE] = 3;
        TO_COMPACT[I16] = 4;
        TO_COMPACT[I32] = 5;
        TO_COMPACT[I64] = 6;
        TO_COMPACT[DOUBLE] = 7;
        TO_COMPACT[BINARY] = 8;
        TO_COMPACT[LIST] = 9;
        TO_COMPACT[SET] = 10;
        TO_COMPACT[MAP] = 11;
        TO_COMPACT[STRUCT] = 12;
        TO_COMPACT[UUID] = 13;
    }

    private ValueType() {}

    /** The compact protocol's code of a value type (a bool as "true", as Thrift writes list headers). */
    static byte toCompact(byte valueType) {
        return TO_COMPACT[valueType];
    }

    /** The value type of a compact protocol code read from the input. */
    static byte fromCompact(int compactType) {
        byte type = FROM_COMPACT[compactType & 0x0f];
        if (type < 0) {
            throw new WireFormatException("malformed input: unknown compact type " + (compactType & 0x0f));
        }
        return type;
    }

    /** A readable name, for error messages. */
    public static String name(byte valueType) {
        return switch (valueType) {
            case STOP -> "stop";
            case BOOL -> "bool";
            case BYTE -> "byte";
            case DOUBLE -> "double";
            case I16 -> "i16";
            case I32 -> "i32";
            case I64 -> "i64";
            case BINARY -> "binary";
            case STRUCT -> "struct";
            case MAP -> "map";
            case SET -> "set";
            case LIST -> "list";
            case UUID -> "uuid";
            default -> "type " + valueType;
        };
    }
}
