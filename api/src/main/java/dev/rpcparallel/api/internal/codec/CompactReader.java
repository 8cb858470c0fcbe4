package dev.rpcparallel.api.internal.codec;

import dev.rpcparallel.api.annotation.API;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads Apache Thrift's compact protocol from one array, the inverse of {@link CompactWriter}.
 *
 * <p>Bounded by its input: a declared length beyond the bytes left fails before anything is
 * allocated, a read past the end fails as truncated input, and nesting (including skipped
 * fields) is limited to {@value CompactWriter#DEPTH_LIMIT} levels. Every failure is a
 * {@link WireFormatException}. One reader per decoding; not thread-safe.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class CompactReader {
    private static final int DEPTH_LIMIT = CompactWriter.DEPTH_LIMIT;

    private final byte[] bytes;
    private int position;
    private int depth;
    private short lastFieldId;
    private final short[] enclosingFieldIds = new short[DEPTH_LIMIT + 1];
    private int structs;
    /** A bool field's value, read with its header, until {@link #readBool()} takes it. */
    private boolean boolFieldValue;
    private boolean boolFieldPending;
    private short fieldId;
    private byte elementType;
    private byte keyType;

    public CompactReader(byte[] bytes) {
        this.bytes = bytes;
    }

    /** How many bytes are left unread. */
    public int remaining() {
        return bytes.length - position;
    }

    /** Enters a struct, list or map; fails past {@value CompactWriter#DEPTH_LIMIT} levels. */
    public void enter() {
        if (++depth > DEPTH_LIMIT) {
            throw new WireFormatException(
                    "malformed input: the value nests deeper than " + DEPTH_LIMIT + " levels");
        }
    }

    public void exit() {
        depth--;
    }

    public void structBegin() {
        enclosingFieldIds[structs++] = lastFieldId;
        lastFieldId = 0;
    }

    public void structEnd() {
        lastFieldId = enclosingFieldIds[--structs];
    }

    /**
     * Reads a field header: returns the field's value type, or {@link ValueType#STOP} at the end
     * of the struct; {@link #fieldId()} is then the field's id.
     */
    public byte readFieldHeader() {
        int header = readByte() & 0xff;
        if (header == 0) {
            return ValueType.STOP;
        }
        int compact = header & 0x0f;
        byte type = ValueType.fromCompact(compact);
        int delta = header >>> 4;
        fieldId = delta == 0 ? readI16() : (short) (lastFieldId + delta);
        lastFieldId = fieldId;
        if (type == ValueType.BOOL) {
            boolFieldValue = compact == 1;
            boolFieldPending = true;
        }
        return type;
    }

    public short fieldId() {
        return fieldId;
    }

    /** Reads a list (or set) header: returns the element count; {@link #elementType()} is set. */
    public int readListHeader() {
        int header = readByte() & 0xff;
        int count = header >>> 4;
        if (count == 15) {
            count = readVarint32();
            if (count < 0) {
                throw new WireFormatException("malformed input: negative element count " + count);
            }
        }
        elementType = ValueType.fromCompact(header);
        return count;
    }

    /** Reads a map header: returns the entry count; {@link #keyType()} and {@link #elementType()} are set. */
    public int readMapHeader() {
        int count = readVarint32();
        if (count < 0) {
            throw new WireFormatException("malformed input: negative entry count " + count);
        }
        int types = count == 0 ? 0 : readByte() & 0xff;
        keyType = ValueType.fromCompact(types >>> 4);
        elementType = ValueType.fromCompact(types);
        return count;
    }

    /** The element type of the last list header, or the value type of the last map header. */
    public byte elementType() {
        return elementType;
    }

    public byte keyType() {
        return keyType;
    }

    public boolean readBool() {
        if (boolFieldPending) {
            boolFieldPending = false;
            return boolFieldValue;
        }
        return readByte() == 1;
    }

    public byte readByte() {
        if (position >= bytes.length) {
            throw truncated();
        }
        return bytes[position++];
    }

    public short readI16() {
        int zigzag = readVarint32();
        return (short) (zigzag >>> 1 ^ -(zigzag & 1));
    }

    public int readI32() {
        int zigzag = readVarint32();
        return zigzag >>> 1 ^ -(zigzag & 1);
    }

    public long readI64() {
        long zigzag = readVarint64();
        return zigzag >>> 1 ^ -(zigzag & 1);
    }

    public double readDouble() {
        need(8);
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits |= (bytes[position++] & 0xffL) << (8 * i);
        }
        return Double.longBitsToDouble(bits);
    }

    /** A UTF-8 string; invalid UTF-8 decodes with replacement characters, as Thrift's does. */
    public String readString() {
        int length = readLength();
        String value = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    /** A binary, copied out of the input. */
    public byte[] readBinary() {
        int length = readLength();
        byte[] value = Arrays.copyOfRange(bytes, position, position + length);
        position += length;
        return value;
    }

    /** Skips one value of the given type, such as a field the reader does not know. */
    public void skip(byte valueType) {
        switch (valueType) {
            case ValueType.BOOL -> readBool();
            case ValueType.BYTE -> readByte();
            case ValueType.I16, ValueType.I32 -> readVarint32();
            case ValueType.I64 -> readVarint64();
            case ValueType.DOUBLE -> skipBytes(8);
            case ValueType.UUID -> skipBytes(16);
            case ValueType.BINARY -> skipBytes(readLength());
            case ValueType.STRUCT -> {
                enter();
                structBegin();
                for (byte field = readFieldHeader(); field != ValueType.STOP; field = readFieldHeader()) {
                    skip(field);
                }
                structEnd();
                exit();
            }
            case ValueType.LIST, ValueType.SET -> {
                enter();
                int count = readListHeader();
                byte type = elementType;
                for (int i = 0; i < count; i++) {
                    skip(type);
                }
                exit();
            }
            case ValueType.MAP -> {
                enter();
                int count = readMapHeader();
                byte key = keyType;
                byte value = elementType;
                for (int i = 0; i < count; i++) {
                    skip(key);
                    skip(value);
                }
                exit();
            }
            default -> throw new WireFormatException("malformed input: cannot skip a value of " + ValueType.name(valueType));
        }
    }

    /**
     * Skips one struct and returns its bytes, for a reader of its own (a Thrift-generated struct
     * reads itself); the skip checks every declared length and the nesting first.
     */
    public byte[] readStructBytes() {
        int start = position;
        skip(ValueType.STRUCT);
        return Arrays.copyOfRange(bytes, start, position);
    }

    private int readLength() {
        int length = readVarint32();
        if (length < 0) {
            throw new WireFormatException("malformed input: negative length " + length);
        }
        if (length > bytes.length - position) {
            throw new WireFormatException("a declared length exceeds the input (truncated or corrupt?)");
        }
        return length;
    }

    private void skipBytes(int count) {
        need(count);
        position += count;
    }

    private void need(int count) {
        if (bytes.length - position < count) {
            throw truncated();
        }
    }

    private int readVarint32() {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = readByte();
            value |= (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new WireFormatException("malformed input: a 32-bit varint longer than 5 bytes");
    }

    private long readVarint64() {
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            byte b = readByte();
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new WireFormatException("malformed input: a 64-bit varint longer than 10 bytes");
    }

    private static WireFormatException truncated() {
        return new WireFormatException("the input ends inside the value (truncated?)");
    }
}
