package dev.rpcparallel.api.internal.codec;

import dev.rpcparallel.api.annotation.API;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes values in Apache Thrift's compact protocol into a growing array: varints (zigzag for
 * signed integers), little-endian doubles, length-prefixed strings and binaries, field headers
 * with id deltas, and list and map headers, byte for byte as libthrift's {@code TCompactProtocol}.
 *
 * <p>One writer per encoding; not thread-safe. Nesting (structs, lists, maps) is limited to
 * {@value #DEPTH_LIMIT} levels, checked by {@link #enter()}.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class CompactWriter {
    /** The deepest nesting written or read: deep enough for any sane data, shallow enough for the stack. */
    public static final int DEPTH_LIMIT = 64;

    private byte[] buffer;
    private int size;
    private int depth;
    /** The id of the last field written in the current struct, and those of the enclosing structs. */
    private short lastFieldId;
    private final short[] enclosingFieldIds = new short[DEPTH_LIMIT + 1];
    private int structs;
    /** A bool field's id until its value is written (the compact protocol puts the value in the header). */
    private short pendingBoolField;
    private boolean boolFieldPending;

    public CompactWriter(int initialCapacity) {
        buffer = new byte[Math.max(16, initialCapacity)];
    }

    /** The bytes written so far, in an exactly sized array. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    /** Enters a struct, list or map; fails past {@value #DEPTH_LIMIT} levels. */
    public void enter() {
        if (++depth > DEPTH_LIMIT) {
            throw new WireFormatException("the value nests deeper than " + DEPTH_LIMIT + " levels");
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

    /** The header of field {@code id} of type {@code valueType}; a bool's waits for its value. */
    public void fieldBegin(short id, byte valueType) {
        if (valueType == ValueType.BOOL) {
            pendingBoolField = id;
            boolFieldPending = true;
        } else {
            fieldHeader(id, ValueType.toCompact(valueType));
        }
    }

    private void fieldHeader(short id, byte compactType) {
        if (id > lastFieldId && id - lastFieldId <= 15) {
            writeByte((byte) ((id - lastFieldId) << 4 | compactType));
        } else {
            writeByte(compactType);
            writeI16(id);
        }
        lastFieldId = id;
    }

    public void fieldStop() {
        writeByte(ValueType.STOP);
    }

    public void listBegin(byte elementType, int count) {
        byte compact = ValueType.toCompact(elementType);
        if (count <= 14) {
            writeByte((byte) (count << 4 | compact));
        } else {
            writeByte((byte) (0xf0 | compact));
            writeVarint32(count);
        }
    }

    public void mapBegin(byte keyType, byte valueType, int count) {
        if (count == 0) {
            writeByte((byte) 0);
        } else {
            writeVarint32(count);
            writeByte((byte) (ValueType.toCompact(keyType) << 4 | ValueType.toCompact(valueType)));
        }
    }

    public void writeBool(boolean value) {
        if (boolFieldPending) {
            boolFieldPending = false;
            fieldHeader(pendingBoolField, value ? (byte) 1 : (byte) 2);
        } else {
            writeByte(value ? (byte) 1 : (byte) 2);
        }
    }

    public void writeByte(byte value) {
        ensure(1);
        buffer[size++] = value;
    }

    public void writeI16(short value) {
        writeVarint32(value << 1 ^ value >> 31);
    }

    public void writeI32(int value) {
        writeVarint32(value << 1 ^ value >> 31);
    }

    public void writeI64(long value) {
        writeVarint64(value << 1 ^ value >> 63);
    }

    public void writeDouble(double value) {
        long bits = Double.doubleToLongBits(value);
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buffer[size++] = (byte) (bits >>> (8 * i));
        }
    }

    public void writeString(String value) {
        writeBinary(value.getBytes(StandardCharsets.UTF_8));
    }

    public void writeBinary(byte[] value) {
        writeVarint32(value.length);
        writeRaw(value);
    }

    /** Bytes that are already a complete encoding of one value, such as a struct. */
    public void writeRaw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
    }

    private void writeVarint32(int value) {
        ensure(5);
        while ((value & ~0x7f) != 0) {
            buffer[size++] = (byte) ((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        buffer[size++] = (byte) value;
    }

    private void writeVarint64(long value) {
        ensure(10);
        while ((value & ~0x7fL) != 0) {
            buffer[size++] = (byte) ((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        buffer[size++] = (byte) value;
    }

    private void ensure(int more) {
        if (buffer.length - size < more) {
            long wanted = Math.max((long) buffer.length * 2, (long) size + more);
            if (wanted > Integer.MAX_VALUE - 8) {
                if ((long) size + more > Integer.MAX_VALUE - 8) {
                    throw new WireFormatException("the encoding would exceed 2 GiB");
                }
                wanted = Integer.MAX_VALUE - 8;
            }
            buffer = Arrays.copyOf(buffer, (int) wanted);
        }
    }
}
