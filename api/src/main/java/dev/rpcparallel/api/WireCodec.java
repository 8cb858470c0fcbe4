package dev.rpcparallel.api;

import dev.rpcparallel.api.internal.codec.CompactReader;
import dev.rpcparallel.api.internal.codec.CompactWriter;
import dev.rpcparallel.api.internal.codec.ValueType;
import dev.rpcparallel.api.internal.codec.WireFormatException;
import dev.rpcparallel.api.internal.codec.WireType;
import dev.rpcparallel.api.internal.codec.WireTypes;

/**
 * A built-in codec: one value of a {@link WireType}, written with Thrift's compact protocol, is
 * the whole encoding.
 *
 * <p>Decoding is bounded by its input: a declared string or binary length beyond the input fails
 * before anything is allocated, and containers check their declared sizes against the bytes
 * left. Nesting is limited to {@value CompactWriter#DEPTH_LIMIT} levels both ways. Every failure,
 * including a runtime exception from malformed input, becomes a {@link CodecException} naming
 * this codec.
 */
final class WireCodec<T> implements Codec<T> {
    private static final int INITIAL_BUFFER_SIZE = 64;

    private final WireType<T> wireType;

    WireCodec(WireType<T> wireType) {
        this.wireType = wireType;
    }

    WireType<T> wireType() {
        return wireType;
    }

    @Override
    public byte[] encode(T value) {
        if (value == null) {
            throw encodeFailure("null is not allowed", null);
        }
        if (wireType == WireTypes.BINARY) {
            return encodeBinary((byte[]) value);
        }
        try {
            CompactWriter out = new CompactWriter(INITIAL_BUFFER_SIZE);
            wireType.write(out, value);
            return out.toByteArray();
        } catch (WireFormatException e) {
            throw encodeFailure(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw encodeFailure(String.valueOf(e), e);
        }
    }

    @Override
    public T decode(byte[] bytes) {
        if (bytes == null) {
            throw new CodecException("Codec '" + name() + "' cannot decode null");
        }
        try {
            CompactReader in = new CompactReader(bytes);
            T value = wireType.read(in);
            int trailing = in.remaining();
            if (trailing > 0) {
                throw new WireFormatException(trailing + " unexpected bytes after the value");
            }
            return value;
        } catch (WireFormatException e) {
            throw decodeFailure(bytes, e.getMessage(), e);
        } catch (RuntimeException e) {
            throw decodeFailure(bytes, "malformed input: " + e, e);
        }
    }

    @Override
    public String name() {
        return wireType.name();
    }

    @Override
    public String toString() {
        return name();
    }

    private CodecException encodeFailure(String detail, Exception cause) {
        return new CodecException("Codec '" + name() + "' cannot encode the value: " + detail, cause);
    }

    private CodecException decodeFailure(byte[] bytes, String detail, Exception cause) {
        return new CodecException(
                "Codec '" + name() + "' cannot decode " + bytes.length + " bytes: " + detail, cause);
    }

    /**
     * The wire type of a codec passed to {@link Codecs#list} or {@link Codecs#map}: a built-in
     * codec contributes its own wire type; any other codec is embedded as a Thrift binary holding
     * its own encoding.
     *
     * @param role what the codec is for, such as "a list element", for the error message
     */
    static <T> WireType<T> wireTypeOf(Codec<T> codec, String role) {
        if (codec instanceof WireCodec<T> builtIn) {
            return builtIn.wireType();
        }
        if (codec == Codecs.none()) {
            throw new CodecException(
                    "codec '" + codec.name() + "' cannot be used as " + role + ": it has no value");
        }
        return new EmbeddedCodec<>(codec);
    }

    /** An application's codec inside a list or map: a Thrift binary holding its encoding. */
    private static final class EmbeddedCodec<T> extends WireType<T> {
        private final Codec<T> codec;

        EmbeddedCodec(Codec<T> codec) {
            super(codec.name(), ValueType.BINARY);
            this.codec = codec;
        }

        @Override
        public void write(CompactWriter out, T value) {
            byte[] bytes;
            try {
                bytes = codec.encode(value);
            } catch (CodecException e) {
                throw new WireFormatException(e.getMessage(), e);
            }
            if (bytes == null) {
                throw new WireFormatException("codec '" + codec.name() + "' encoded a value as null");
            }
            out.writeBinary(bytes);
        }

        @Override
        public T read(CompactReader in) {
            T value;
            try {
                value = codec.decode(in.readBinary());
            } catch (CodecException e) {
                throw new WireFormatException(e.getMessage(), e);
            }
            if (value == null) {
                throw new WireFormatException("codec '" + codec.name() + "' decoded a value as null");
            }
            return value;
        }
    }

    /**
     * {@code bytes()} encoded as the compact protocol writes a binary (a varint length, then the
     * bytes) straight into an exactly sized array: one copy of a large payload instead of a
     * growing buffer, its regrowth and a final trim.
     */
    private static byte[] encodeBinary(byte[] value) {
        int length = value.length;
        int header = 1;
        for (int rest = length >>> 7; rest != 0; rest >>>= 7) {
            header++;
        }
        byte[] encoded = new byte[header + length];
        int at = 0;
        int rest = length;
        while ((rest & ~0x7f) != 0) {
            encoded[at++] = (byte) ((rest & 0x7f) | 0x80);
            rest >>>= 7;
        }
        encoded[at] = (byte) rest;
        System.arraycopy(value, 0, encoded, header, length);
        return encoded;
    }
}
