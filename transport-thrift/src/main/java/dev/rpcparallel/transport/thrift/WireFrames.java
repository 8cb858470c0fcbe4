package dev.rpcparallel.transport.thrift;

import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameKind;
import dev.rpcparallel.transport.stream.InboundFrame;
import java.net.ProtocolException;

/**
 * The {@code WireFrame} envelope of {@code rpc_parallel.thrift} in the Thrift compact protocol,
 * written and read here without libthrift: the transport needs no Thrift library at run time,
 * so an application's own libthrift, of any version, is never in its way.
 *
 * <p>Writing: {@link #writeHead} puts the four field headers, the kind, call id, function id
 * and the payload's length into a small array; the payload follows it as it is, then the struct
 * ends with one {@link #STOP} byte. That is byte for byte what libthrift's {@code
 * TCompactProtocol} writes for the generated struct (the tests compare the two).
 *
 * <p>Reading ({@link #read}): the fields in any order, as the generated reader takes them; a
 * field with an unknown id or an unexpected type is skipped (structs, lists, sets and maps
 * included, nested at most {@link #NESTING_LIMIT} deep), so a newer peer may add optional
 * fields; a missing or unknown kind, a value running past the frame's end and bytes after the
 * struct are protocol errors naming what is wrong. The payload is left in place: the inbound
 * frame gets a slice of the frame's buffer. Stateless; safe from any thread.
 */
final class WireFrames {

    /** The most bytes {@link #writeHead} writes: four field headers and four varints. */
    static final int MAX_HEAD_SIZE = 4 + 5 + 10 + 5 + 5;
    /** The byte that ends a struct. */
    static final byte STOP = 0;
    /**
     * How deeply nested structs may be, counting the envelope. {@code WireFrame} is flat; this
     * leaves room for nested optional fields a later protocol version may add (which an older
     * reader skips) while refusing pathological nesting.
     */
    static final int NESTING_LIMIT = 16;

    // The compact protocol's type codes.
    private static final int BOOLEAN_TRUE = 1;
    private static final int BOOLEAN_FALSE = 2;
    private static final int BYTE = 3;
    private static final int I16 = 4;
    private static final int I32 = 5;
    private static final int I64 = 6;
    private static final int DOUBLE = 7;
    private static final int BINARY = 8;
    private static final int LIST = 9;
    private static final int SET = 10;
    private static final int MAP = 11;
    private static final int STRUCT = 12;
    private static final int UUID = 13;

    private static final byte[] NOTHING = new byte[0];
    private static final short KIND = 1;
    private static final short CALL_ID = 2;
    private static final short FUNCTION_ID = 3;
    private static final short PAYLOAD = 4;

    /** The runtime's kinds, indexed by wire value; {@code null} where the runtime has none. */
    private static final FrameKind[] KINDS_BY_WIRE_VALUE;

    static {
        int maxValue = 0;
        for (FrameKind kind : FrameKind.values()) {
            maxValue = Math.max(maxValue, kind.wireValue());
        }
        KINDS_BY_WIRE_VALUE = new FrameKind[maxValue + 1];
        for (FrameKind kind : FrameKind.values()) {
            KINDS_BY_WIRE_VALUE[kind.wireValue()] = kind;
        }
    }

    private WireFrames() {}

    /**
     * The size of {@code frame} encoded as a {@code WireFrame} with the compact protocol, in
     * bytes: what a framed transport's length prefix says, and what the frame size limit limits.
     */
    static long encodedSize(Frame frame) {
        return encodedSize(frame.kind(), frame.callId(), frame.functionId(), frame.payload().length);
    }

    /**
     * The encoded size of a frame with these fields and a payload of {@code payload} bytes. All
     * four fields are written; each field header takes one byte (the field ids go up by one);
     * integers are zigzag varints; the payload is its varint length and its bytes; one byte ends
     * the struct.
     */
    static long encodedSize(FrameKind kind, long callId, int functionId, int payload) {
        return 4L // field headers
                + varintSize(zigzag(kind.wireValue()))
                + varintSize(zigzag(callId))
                + varintSize(zigzag(functionId))
                + varintSize(Integer.toUnsignedLong(payload))
                + payload
                + 1; // field stop
    }

    /**
     * Writes the struct up to its payload into {@code head} from {@code at} (room for {@link
     * #MAX_HEAD_SIZE} bytes): the kind, call id and function id fields, then the payload field's
     * header and length. Returns the index after the last byte written.
     */
    static int writeHead(byte[] head, int start, FrameKind kind, long callId, int functionId, int payloadLength) {
        int at = start;
        head[at++] = (byte) (1 << 4 | I32);
        at = writeVarint(head, at, zigzag(kind.wireValue()));
        head[at++] = (byte) (1 << 4 | I64);
        at = writeVarint(head, at, zigzag(callId));
        head[at++] = (byte) (1 << 4 | I32);
        at = writeVarint(head, at, zigzag(functionId));
        head[at++] = (byte) (1 << 4 | BINARY);
        return writeVarint(head, at, Integer.toUnsignedLong(payloadLength));
    }

    /**
     * Decodes the struct in {@code buffer[offset, offset + length)} into {@code into}; the
     * payload stays in {@code buffer}.
     *
     * @throws ProtocolException naming what is wrong with the frame and who sent it
     */
    static void read(byte[] buffer, int offset, int length, String remoteAddress, InboundFrame into)
            throws ProtocolException {
        if (length == 0) {
            throw new ProtocolException("malformed frame from " + remoteAddress + ": the frame is empty");
        }
        Reader reader = new Reader(buffer, offset, offset + length, remoteAddress, length);
        Integer kindValue = null;
        long callId = 0;
        int functionId = 0;
        int payloadOffset = 0;
        int payloadLength = 0;
        short lastId = 0;
        while (true) {
            int header = reader.readByte() & 0xff;
            if (header == STOP) {
                break;
            }
            int type = header & 0x0f;
            int delta = header >>> 4;
            short id = delta == 0 ? (short) reader.readZigzag32() : (short) (lastId + delta);
            lastId = id;
            if (id == KIND && type == I32) {
                kindValue = reader.readZigzag32();
            } else if (id == CALL_ID && type == I64) {
                callId = reader.readZigzag64();
            } else if (id == FUNCTION_ID && type == I32) {
                functionId = reader.readZigzag32();
            } else if (id == PAYLOAD && type == BINARY) {
                payloadLength = reader.readLength();
                payloadOffset = reader.position;
                reader.position += payloadLength;
            } else {
                reader.skip(type, 1);
            }
        }
        if (reader.position != reader.end) {
            throw new ProtocolException("malformed frame from " + remoteAddress + ": " + (reader.end - reader.position)
                    + " bytes after the end of the " + length + "-byte frame's struct");
        }
        if (kindValue == null) {
            throw new ProtocolException("malformed " + length + "-byte frame from " + remoteAddress
                    + ": its required field 'kind' is missing");
        }
        FrameKind kind = kindValue >= 0 && kindValue < KINDS_BY_WIRE_VALUE.length ? KINDS_BY_WIRE_VALUE[kindValue] : null;
        if (kind == null) {
            throw new ProtocolException("unknown frame kind " + kindValue + " from " + remoteAddress);
        }
        if (payloadLength == 0) {
            into.set(kind, callId, functionId, NOTHING, 0, 0); // holds no reference to the frame buffer
        } else {
            into.set(kind, callId, functionId, buffer, payloadOffset, payloadLength);
        }
    }

    /** Reads one frame's struct; fails with the frame's description. */
    private static final class Reader {
        private final byte[] bytes;
        private final int end;
        private final String remoteAddress;
        private final int frameLength;
        int position;

        Reader(byte[] bytes, int position, int end, String remoteAddress, int frameLength) {
            this.bytes = bytes;
            this.position = position;
            this.end = end;
            this.remoteAddress = remoteAddress;
            this.frameLength = frameLength;
        }

        byte readByte() throws ProtocolException {
            if (position >= end) {
                throw pastTheEnd();
            }
            return bytes[position++];
        }

        int readZigzag32() throws ProtocolException {
            int zigzag = (int) readVarint(5);
            return zigzag >>> 1 ^ -(zigzag & 1);
        }

        long readZigzag64() throws ProtocolException {
            long zigzag = readVarint(10);
            return zigzag >>> 1 ^ -(zigzag & 1);
        }

        /** A binary's length, checked against the bytes left in the frame. */
        int readLength() throws ProtocolException {
            int length = (int) readVarint(5);
            if (length < 0) {
                throw malformed("a negative length " + length);
            }
            if (length > end - position) {
                throw pastTheEnd();
            }
            return length;
        }

        private long readVarint(int maxBytes) throws ProtocolException {
            long value = 0;
            for (int i = 0; i < maxBytes; i++) {
                byte b = readByte();
                value |= (long) (b & 0x7f) << (7 * i);
                if (b >= 0) {
                    return value;
                }
            }
            throw malformed("a varint longer than " + maxBytes + " bytes");
        }

        /** Skips one value of compact type {@code type}, at nesting level {@code depth}. */
        void skip(int type, int depth) throws ProtocolException {
            switch (type) {
                case BOOLEAN_TRUE, BOOLEAN_FALSE -> { } // a bool field's value is in its header
                case BYTE -> readByte();
                case I16, I32 -> readVarint(5);
                case I64 -> readVarint(10);
                case DOUBLE -> skipBytes(8);
                case UUID -> skipBytes(16);
                case BINARY -> skipBytes(readLength());
                case STRUCT -> {
                    checkNesting(depth);
                    short lastId = 0;
                    for (int header = readByte() & 0xff; header != STOP; header = readByte() & 0xff) {
                        if (header >>> 4 == 0) {
                            readZigzag32(); // the field id
                        }
                        skip(header & 0x0f, depth + 1);
                    }
                }
                case LIST, SET -> {
                    checkNesting(depth);
                    int header = readByte() & 0xff;
                    int count = header >>> 4;
                    if (count == 15) {
                        count = (int) readVarint(5);
                    }
                    skipElements(header & 0x0f, count, depth);
                }
                case MAP -> {
                    checkNesting(depth);
                    int count = (int) readVarint(5);
                    if (count != 0) {
                        int types = readByte() & 0xff;
                        for (int i = 0; i < count; i++) {
                            skipElement(types >>> 4, depth);
                            skipElement(types & 0x0f, depth);
                        }
                    }
                }
                default -> throw malformed("a field of unknown type " + type);
            }
        }

        private void skipElements(int type, int count, int depth) throws ProtocolException {
            if (count < 0) {
                throw malformed("a negative element count " + count);
            }
            for (int i = 0; i < count; i++) {
                skipElement(type, depth);
            }
        }

        /** An element of a list, set or map: a bool takes a byte of its own there. */
        private void skipElement(int type, int depth) throws ProtocolException {
            if (type == BOOLEAN_TRUE || type == BOOLEAN_FALSE) {
                readByte();
            } else {
                skip(type, depth + 1);
            }
        }

        private void checkNesting(int depth) throws ProtocolException {
            if (depth >= NESTING_LIMIT) {
                throw malformed("values nested deeper than " + NESTING_LIMIT + " levels");
            }
        }

        private void skipBytes(int count) throws ProtocolException {
            if (end - position < count) {
                throw pastTheEnd();
            }
            position += count;
        }

        private ProtocolException pastTheEnd() {
            return new ProtocolException("malformed " + frameLength + "-byte frame from " + remoteAddress
                    + ": its struct runs past the frame's end");
        }

        private ProtocolException malformed(String what) {
            return new ProtocolException("malformed " + frameLength + "-byte frame from " + remoteAddress + ": " + what);
        }
    }

    private static int writeVarint(byte[] into, int at, long unsigned) {
        long value = unsigned;
        while ((value & ~0x7FL) != 0) {
            into[at++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        into[at++] = (byte) value;
        return at;
    }

    private static long zigzag(int value) {
        return Integer.toUnsignedLong((value << 1) ^ (value >> 31));
    }

    private static long zigzag(long value) {
        return (value << 1) ^ (value >> 63);
    }

    private static int varintSize(long unsigned) {
        int bits = 64 - Long.numberOfLeadingZeros(unsigned | 1);
        return (bits + 6) / 7;
    }
}
