package dev.rpcparallel.api.internal.codec;

import dev.rpcparallel.api.annotation.API;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The scalar wire types, and the mapping from Java types to wire types used by records. */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class WireTypes {

    /** Listed in every "unsupported type" error, so the fix is obvious. */
    static final String SUPPORTED_TYPES =
            "boolean, byte, short, int, long, float, double and their boxes, String, byte[], enums,"
                    + " records, Thrift-generated structs (TBase), List<X>, Map<K,V> (X, K and V"
                    + " themselves supported), and Optional<X> as a record component";

    public static final WireType<Boolean> BOOL = new WireType<>("bool", ValueType.BOOL) {
        @Override
        public void write(CompactWriter out, Boolean value) {
            out.writeBool(value);
        }

        @Override
        public Boolean read(CompactReader in) {
            return in.readBool();
        }
    };

    public static final WireType<Byte> BYTE = new WireType<>("byte", ValueType.BYTE) {
        @Override
        public void write(CompactWriter out, Byte value) {
            out.writeByte(value);
        }

        @Override
        public Byte read(CompactReader in) {
            return in.readByte();
        }
    };

    public static final WireType<Short> I16 = new WireType<>("i16", ValueType.I16) {
        @Override
        public void write(CompactWriter out, Short value) {
            out.writeI16(value);
        }

        @Override
        public Short read(CompactReader in) {
            return in.readI16();
        }
    };

    public static final WireType<Integer> I32 = new WireType<>("i32", ValueType.I32) {
        @Override
        public void write(CompactWriter out, Integer value) {
            out.writeI32(value);
        }

        @Override
        public Integer read(CompactReader in) {
            return in.readI32();
        }
    };

    public static final WireType<Long> I64 = new WireType<>("i64", ValueType.I64) {
        @Override
        public void write(CompactWriter out, Long value) {
            out.writeI64(value);
        }

        @Override
        public Long read(CompactReader in) {
            return in.readI64();
        }
    };

    /** A Java float, written as a Thrift double (exact: every float is a double). */
    public static final WireType<Float> FLOAT = new WireType<>("float", ValueType.DOUBLE) {
        @Override
        public void write(CompactWriter out, Float value) {
            out.writeDouble(value);
        }

        @Override
        public Float read(CompactReader in) {
            return (float) in.readDouble();
        }
    };

    public static final WireType<Double> DOUBLE = new WireType<>("double", ValueType.DOUBLE) {
        @Override
        public void write(CompactWriter out, Double value) {
            out.writeDouble(value);
        }

        @Override
        public Double read(CompactReader in) {
            return in.readDouble();
        }
    };

    public static final WireType<String> STRING = new WireType<>("string", ValueType.BINARY) {
        @Override
        public void write(CompactWriter out, String value) {
            out.writeString(value);
        }

        @Override
        public String read(CompactReader in) {
            return in.readString();
        }
    };

    public static final WireType<byte[]> BINARY = new WireType<>("binary", ValueType.BINARY) {
        @Override
        public void write(CompactWriter out, byte[] value) {
            out.writeBinary(value);
        }

        @Override
        public byte[] read(CompactReader in) {
            return in.readBinary();
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
     * The wire type of a record class, built on first use and cached for the class's lifetime.
     *
     * @throws WireFormatException if the class is not a record, has a component of an
     *     unsupported type, or is not accessible
     */
    public static <R extends Record> WireType<R> record(Class<R> type) {
        return RecordWireType.of(type);
    }

    /**
     * The wire type of a Thrift-generated struct class, encoded by the application's libthrift.
     *
     * @throws WireFormatException if the class is not a Thrift struct or cannot be instantiated
     */
    public static <T> WireType<T> thrift(Class<T> type) {
        return ThriftStructWireType.of(type);
    }

    /**
     * The wire type of a record component's (or a list element's, map key's or value's)
     * declared type.
     *
     * @param recordPath the records being built, outermost last, to reject recursive records
     * @throws WireFormatException if the type is not supported
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
            if (ThriftStructWireType.isThriftStruct(c)) {
                return ThriftStructWireType.of(c);
            }
            if (c == List.class || c == Map.class || c == Optional.class) {
                throw new WireFormatException(
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
                throw new WireFormatException(
                        type.getTypeName() + " is supported only as the type of a record component");
            }
        }
        throw new WireFormatException(
                type.getTypeName() + " is not supported; supported types are " + SUPPORTED_TYPES);
    }

    /** An enum, written by constant name, so reordering or adding constants stays compatible. */
    static WireType<Enum<?>> enumType(Class<?> type) {
        Map<String, Enum<?>> byName = new HashMap<>();
        for (Object constant : type.getEnumConstants()) {
            Enum<?> value = (Enum<?>) constant;
            byName.put(value.name(), value);
        }
        return new WireType<>("enum:" + type.getName(), ValueType.BINARY) {
            @Override
            public void write(CompactWriter out, Enum<?> value) {
                out.writeString(value.name());
            }

            @Override
            public Enum<?> read(CompactReader in) {
                String name = in.readString();
                Enum<?> constant = byName.get(name);
                if (constant == null) {
                    throw new WireFormatException(
                            "unknown constant '" + name + "' of enum " + type.getName());
                }
                return constant;
            }
        };
    }
}
