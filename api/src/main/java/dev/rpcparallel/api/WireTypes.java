package dev.rpcparallel.api;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.thrift.TBase;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TType;

/** The scalar wire types, and the mapping from Java types to wire types used by records. */
final class WireTypes {

    /** Listed in every "unsupported type" error, so the fix is obvious. */
    static final String SUPPORTED_TYPES =
            "boolean, byte, short, int, long, float, double and their boxes, String, byte[], enums,"
                    + " records, Thrift-generated structs (TBase), List<X>, Map<K,V> (X, K and V"
                    + " themselves supported), and Optional<X> as a record component";

    static final WireType<Boolean> BOOL = new WireType<>("bool", TType.BOOL) {
        @Override
        void write(TProtocol out, Boolean value) throws TException {
            out.writeBool(value);
        }

        @Override
        Boolean read(TProtocol in) throws TException {
            return in.readBool();
        }
    };

    static final WireType<Byte> BYTE = new WireType<>("byte", TType.BYTE) {
        @Override
        void write(TProtocol out, Byte value) throws TException {
            out.writeByte(value);
        }

        @Override
        Byte read(TProtocol in) throws TException {
            return in.readByte();
        }
    };

    static final WireType<Short> I16 = new WireType<>("i16", TType.I16) {
        @Override
        void write(TProtocol out, Short value) throws TException {
            out.writeI16(value);
        }

        @Override
        Short read(TProtocol in) throws TException {
            return in.readI16();
        }
    };

    static final WireType<Integer> I32 = new WireType<>("i32", TType.I32) {
        @Override
        void write(TProtocol out, Integer value) throws TException {
            out.writeI32(value);
        }

        @Override
        Integer read(TProtocol in) throws TException {
            return in.readI32();
        }
    };

    static final WireType<Long> I64 = new WireType<>("i64", TType.I64) {
        @Override
        void write(TProtocol out, Long value) throws TException {
            out.writeI64(value);
        }

        @Override
        Long read(TProtocol in) throws TException {
            return in.readI64();
        }
    };

    /** A Java float, written as a Thrift double (exact: every float is a double). */
    static final WireType<Float> FLOAT = new WireType<>("float", TType.DOUBLE) {
        @Override
        void write(TProtocol out, Float value) throws TException {
            out.writeDouble(value);
        }

        @Override
        Float read(TProtocol in) throws TException {
            return (float) in.readDouble();
        }
    };

    static final WireType<Double> DOUBLE = new WireType<>("double", TType.DOUBLE) {
        @Override
        void write(TProtocol out, Double value) throws TException {
            out.writeDouble(value);
        }

        @Override
        Double read(TProtocol in) throws TException {
            return in.readDouble();
        }
    };

    static final WireType<String> STRING = new WireType<>("string", TType.STRING) {
        @Override
        void write(TProtocol out, String value) throws TException {
            out.writeString(value);
        }

        @Override
        String read(TProtocol in) throws TException {
            return in.readString();
        }
    };

    static final WireType<byte[]> BINARY = new WireType<>("binary", TType.STRING) {
        @Override
        void write(TProtocol out, byte[] value) throws TException {
            out.writeBinary(ByteBuffer.wrap(value));
        }

        @Override
        byte[] read(TProtocol in) throws TException {
            return copyOf(in.readBinary());
        }
    };

    private static final Map<Class<?>, WireType<?>> SCALARS = Map.ofEntries(
            Map.entry(boolean.class, BOOL),
            Map.entry(Boolean.class, BOOL),
            Map.entry(byte.class, BYTE),
            Map.entry(Byte.class, BYTE),
            Map.entry(short.class, I16),
            Map.entry(Short.class, I16),
            Map.entry(int.class, I32),
            Map.entry(Integer.class, I32),
            Map.entry(long.class, I64),
            Map.entry(Long.class, I64),
            Map.entry(float.class, FLOAT),
            Map.entry(Float.class, FLOAT),
            Map.entry(double.class, DOUBLE),
            Map.entry(Double.class, DOUBLE),
            Map.entry(String.class, STRING),
            Map.entry(byte[].class, BINARY));

    private WireTypes() {}

    /**
     * The wire type of a record component's (or a list element's, map key's or value's)
     * declared type.
     *
     * @param recordPath the records being built, outermost last, to reject recursive records
     * @throws CodecException if the type is not supported
     */
    static WireType<?> forType(Type type, Deque<Class<?>> recordPath) {
        if (type instanceof Class<?> c) {
            WireType<?> scalar = SCALARS.get(c);
            if (scalar != null) {
                return scalar;
            }
            if (c.isEnum()) {
                return enumType(c);
            }
            if (c.isRecord()) {
                return RecordWireType.build(c.asSubclass(Record.class), recordPath);
            }
            if (TBase.class.isAssignableFrom(c)) {
                return ThriftStructWireType.of(c);
            }
            if (c == List.class || c == Map.class || c == Optional.class) {
                throw new CodecException(
                        "raw " + c.getName() + " is not supported: declare its type arguments");
            }
        } else if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            Type[] args = p.getActualTypeArguments();
            if (raw == List.class) {
                return new ListWireType<>(forType(args[0], recordPath));
            }
            if (raw == Map.class) {
                return new MapWireType<>(forType(args[0], recordPath), forType(args[1], recordPath));
            }
            if (raw == Optional.class) {
                throw new CodecException(
                        type.getTypeName() + " is supported only as the type of a record component");
            }
        }
        throw new CodecException(
                type.getTypeName() + " is not supported; supported types are " + SUPPORTED_TYPES);
    }

    /** An enum, written by constant name, so reordering or adding constants stays compatible. */
    static WireType<Enum<?>> enumType(Class<?> type) {
        Map<String, Enum<?>> byName = new HashMap<>();
        for (Object constant : type.getEnumConstants()) {
            Enum<?> value = (Enum<?>) constant;
            byName.put(value.name(), value);
        }
        return new WireType<>("enum:" + type.getName(), TType.STRING) {
            @Override
            void write(TProtocol out, Enum<?> value) throws TException {
                out.writeString(value.name());
            }

            @Override
            Enum<?> read(TProtocol in) throws TException {
                String name = in.readString();
                Enum<?> constant = byName.get(name);
                if (constant == null) {
                    throw new CodecException(
                            "unknown constant '" + name + "' of enum " + type.getName());
                }
                return constant;
            }
        };
    }

    /**
     * The wire type of a codec passed to {@link Codecs#list} or {@link Codecs#map}: a built-in
     * codec contributes its own wire type; any other codec is embedded as a Thrift binary holding
     * its own encoding.
     *
     * @param role what the codec is for, such as "list element", for the error message
     */
    static <T> WireType<T> of(Codec<T> codec, String role) {
        if (codec instanceof WireCodec<T> builtIn) {
            return builtIn.wireType();
        }
        if (codec == Codecs.none()) {
            throw new CodecException(
                    "codec '" + codec.name() + "' cannot be used as " + role + ": it has no value");
        }
        return embedded(codec);
    }

    private static <T> WireType<T> embedded(Codec<T> codec) {
        return new WireType<>(codec.name(), TType.STRING) {
            @Override
            void write(TProtocol out, T value) throws TException {
                byte[] bytes = codec.encode(value);
                if (bytes == null) {
                    throw new CodecException("codec '" + codec.name() + "' encoded a value as null");
                }
                out.writeBinary(ByteBuffer.wrap(bytes));
            }

            @Override
            T read(TProtocol in) throws TException {
                T value = codec.decode(copyOf(in.readBinary()));
                if (value == null) {
                    throw new CodecException("codec '" + codec.name() + "' decoded a value as null");
                }
                return value;
            }
        };
    }

    /** Copies out a buffer that may be a view of the input. */
    private static byte[] copyOf(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
