package dev.rpcparallel.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.thriftstruct.FrameKind;
import dev.rpcparallel.api.thriftstruct.WireFrame;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.thrift.TBase;
import org.apache.thrift.TException;
import org.apache.thrift.TSerializer;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TField;
import org.apache.thrift.protocol.TList;
import org.apache.thrift.protocol.TMap;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TStruct;
import org.apache.thrift.protocol.TType;
import org.apache.thrift.transport.TMemoryBuffer;
import org.junit.jupiter.api.Test;

/**
 * The built-in codecs write what libthrift's {@code TCompactProtocol} writes, byte for byte, and
 * read what it writes (in any field order), so a worker in another language reads our bytes
 * given the equivalent Thrift definition. libthrift is the oracle here: {@link #thriftEncode}
 * drives its protocol directly, one call per value, as generated code would.
 */
class CompactProtocolCompatibilityTest {

    enum Colour { RED, GREEN }

    record Inner(boolean on, String label, double weight) {}

    record Everything(
            boolean yes,
            boolean no,
            byte b,
            short s,
            int i,
            long l,
            float f,
            double d,
            String text,
            byte[] blob,
            Colour colour,
            Inner inner,
            Optional<String> note,
            Integer boxed,
            List<Boolean> flags,
            List<Long> many,
            List<Inner> inners,
            Map<String, List<Integer>> index,
            Map<Integer, Boolean> empty,
            List<List<String>> nested) {}

    /** Twenty components: with the middle ones null, field 20 follows field 1 (a long field header). */
    record Sparse(String a, String b, String c, String d, String e, String f, String g, String h,
            String i, String j, String k, String l, String m, String n, String o, String p, String q,
            String r, String s, Long t) {}

    /** The fields of the generated WireFrame, as a record: the enum is its i32 value. */
    record FrameRecord(int kind, long callId, int functionId, byte[] payload) {}

    record WithFrames(String name, WireFrame frame, List<WireFrame> more) {}

    @Test
    void recordsAreWrittenAsLibthriftWritesTheStruct() throws Exception {
        Everything value = everything();
        byte[] ours = Codecs.record(Everything.class).encode(value);
        assertThat(ours).isEqualTo(thriftEncode(value, Everything.class));
        Everything decoded = Codecs.record(Everything.class).decode(thriftEncode(value, Everything.class));
        assertThat(decoded).usingRecursiveComparison().isEqualTo(value);
    }

    @Test
    void extremeValuesAreWrittenAsLibthriftWritesThem() throws Exception {
        for (long l : new long[] {0, 1, -1, 63, -64, 64, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 35}) {
            assertThat(Codecs.int64().encode(l)).as("%d", l).isEqualTo(thriftEncode(l, Long.class));
        }
        for (int i : new int[] {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 300}) {
            assertThat(Codecs.int32().encode(i)).as("%d", i).isEqualTo(thriftEncode(i, Integer.class));
        }
        for (double d : new double[] {0.0, -0.0, Double.NaN, Double.MIN_VALUE, -1e300, Double.POSITIVE_INFINITY}) {
            assertThat(Codecs.float64().encode(d)).as("%s", d).isEqualTo(thriftEncode(d, Double.class));
        }
        for (String s : new String[] {"", "héllo", "日本語 🌍", "x".repeat(300)}) {
            assertThat(Codecs.string().encode(s)).isEqualTo(thriftEncode(s, String.class));
        }
        assertThat(Codecs.bool().encode(true)).isEqualTo(thriftEncode(true, Boolean.class));
        assertThat(Codecs.bool().encode(false)).isEqualTo(thriftEncode(false, Boolean.class));
    }

    @Test
    void containersAreWrittenAsLibthriftWritesThem() throws Exception {
        List<Long> thousand = LongStream.range(-500, 500).map(x -> x * 1_000_003L).boxed().toList();
        assertThat(Codecs.list(Codecs.int64()).encode(thousand))
                .isEqualTo(thriftEncode(thousand, type(Holder.class, "longs")));
        Map<String, List<Integer>> index = new LinkedHashMap<>();
        index.put("a", List.of(1, 2, 3));
        index.put("b", List.of());
        assertThat(Codecs.map(Codecs.string(), Codecs.list(Codecs.int32())).encode(index))
                .isEqualTo(thriftEncode(index, type(Holder.class, "index")));
        assertThat(Codecs.map(Codecs.string(), Codecs.int32()).encode(Map.of()))
                .isEqualTo(thriftEncode(Map.of(), type(Holder.class, "counts")));
        List<Boolean> flags = IntStream.range(0, 20).mapToObj(x -> x % 3 == 0).toList();
        assertThat(Codecs.list(Codecs.bool()).encode(flags))
                .isEqualTo(thriftEncode(flags, type(Holder.class, "flags")));
    }

    @Test
    void farApartFieldIdsUseTheLongFieldHeader() throws Exception {
        Sparse sparse = new Sparse("first", null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, 20L);
        byte[] ours = Codecs.record(Sparse.class).encode(sparse);
        assertThat(ours).isEqualTo(thriftEncode(sparse, Sparse.class));
        assertThat(Codecs.record(Sparse.class).decode(ours)).isEqualTo(sparse);
    }

    @Test
    void fieldsInAnyOrderAreRead() throws Exception {
        Everything value = everything();
        byte[] reversed = thriftEncodeReversed(value);
        assertThat(reversed).isNotEqualTo(Codecs.record(Everything.class).encode(value));
        assertThat(Codecs.record(Everything.class).decode(reversed)).usingRecursiveComparison().isEqualTo(value);
    }

    @Test
    void generatedThriftStructsRoundTripAndEncodeAsTheirOwnWriteDoes() throws Exception {
        WireFrame frame = new WireFrame(FrameKind.CALL, 1L << 40, 7, ByteBuffer.wrap(new byte[] {1, 2, 3}));
        Codec<WireFrame> codec = Codecs.thrift(WireFrame.class);
        byte[] ours = codec.encode(frame);
        assertThat(ours).isEqualTo(new TSerializer(new TCompactProtocol.Factory()).serialize(frame));
        assertThat(codec.decode(ours)).isEqualTo(frame);
        assertThat(codec.name()).isEqualTo("thrift:dev.rpcparallel.api.thriftstruct.WireFrame");
        // The same fields as a record give the same bytes: the struct is plain compact protocol.
        assertThat(Codecs.record(FrameRecord.class).encode(new FrameRecord(5, 1L << 40, 7, new byte[] {1, 2, 3})))
                .isEqualTo(ours);
    }

    @Test
    void thriftStructsNestInRecordsAndLists() throws Exception {
        WireFrame first = new WireFrame(FrameKind.RESULT, 1, 2, ByteBuffer.wrap(new byte[] {9}));
        WireFrame second = new WireFrame(FrameKind.ERROR, -3, 0, ByteBuffer.wrap(new byte[0]));
        WithFrames value = new WithFrames("frames", first, List.of(second, first));
        Codec<WithFrames> codec = Codecs.record(WithFrames.class);
        byte[] ours = codec.encode(value);
        assertThat(ours).isEqualTo(thriftEncode(value, WithFrames.class));
        assertThat(codec.decode(ours)).isEqualTo(value);
        assertThat(codec.name()).contains("frame:thrift:dev.rpcparallel.api.thriftstruct.WireFrame");
    }

    @Test
    void malformedThriftStructsFailWithTheCodecNamed() throws Exception {
        Codec<WireFrame> codec = Codecs.thrift(WireFrame.class);
        byte[] valid = codec.encode(new WireFrame(FrameKind.CALL, 1, 2, ByteBuffer.wrap(new byte[] {1, 2, 3})));
        for (int length = 0; length < valid.length; length++) {
            byte[] truncated = Arrays.copyOf(valid, length);
            assertThatThrownBy(() -> codec.decode(truncated))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("'thrift:dev.rpcparallel.api.thriftstruct.WireFrame'");
        }
        // A struct without its required field 'kind': the generated validation rejects it.
        byte[] noKind = Codecs.record(WithoutKind.class).encode(new WithoutKind(null, 1L));
        assertThatThrownBy(() -> codec.decode(noKind))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("'thrift:dev.rpcparallel.api.thriftstruct.WireFrame'")
                .hasMessageContaining("kind");
        assertThatThrownBy(() -> codec.encode(new WireFrame()))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("cannot encode")
                .hasMessageContaining("kind");
    }

    record WithoutKind(Integer kind, Long callId) {}

    /** Field types of the container tests, declared where reflection can see them. */
    record Holder(List<Long> longs, Map<String, List<Integer>> index, Map<String, Integer> counts, List<Boolean> flags) {}

    // ---------------------------------------------------------------- the libthrift oracle

    private static Everything everything() {
        Map<String, List<Integer>> index = new LinkedHashMap<>();
        index.put("z", List.of(-1, 0, Integer.MAX_VALUE));
        index.put("a", List.of());
        return new Everything(true, false, (byte) -7, (short) -300, -70_000, Long.MIN_VALUE, 1.5f, -0.25,
                "héllo 🌍", new byte[] {0, -1, 127}, Colour.GREEN, new Inner(false, "in", 2.0),
                Optional.of("note"), null,
                List.of(true, false, true),
                LongStream.range(0, 40).map(x -> x * x * x - 5_000).boxed().toList(),
                List.of(new Inner(true, "a", 1), new Inner(false, "b", -1)),
                index, Map.of(), List.of(List.of("x", "y"), List.of()));
    }

    private static Type type(Class<? extends Record> holder, String component) {
        for (RecordComponent c : holder.getRecordComponents()) {
            if (c.getName().equals(component)) {
                return c.getGenericType();
            }
        }
        throw new IllegalArgumentException(component);
    }

    private static byte[] thriftEncode(Object value, Type type) throws TException {
        TMemoryBuffer buffer = new TMemoryBuffer(64);
        write(new TCompactProtocol(buffer), value, type, false);
        return Arrays.copyOf(buffer.getArray(), buffer.length());
    }

    private static byte[] thriftEncodeReversed(Object value) throws TException {
        TMemoryBuffer buffer = new TMemoryBuffer(64);
        write(new TCompactProtocol(buffer), value, value.getClass(), true);
        return Arrays.copyOf(buffer.getArray(), buffer.length());
    }

    private static void write(TProtocol out, Object value, Type type, boolean reverseFields) throws TException {
        Class<?> raw = raw(type);
        if (value instanceof Boolean v) {
            out.writeBool(v);
        } else if (value instanceof Byte v) {
            out.writeByte(v);
        } else if (value instanceof Short v) {
            out.writeI16(v);
        } else if (value instanceof Integer v) {
            out.writeI32(v);
        } else if (value instanceof Long v) {
            out.writeI64(v);
        } else if (value instanceof Float v) {
            out.writeDouble(v);
        } else if (value instanceof Double v) {
            out.writeDouble(v);
        } else if (value instanceof String v) {
            out.writeString(v);
        } else if (value instanceof byte[] v) {
            out.writeBinary(ByteBuffer.wrap(v));
        } else if (value instanceof Enum<?> v) {
            out.writeString(v.name());
        } else if (value instanceof TBase<?, ?> v) {
            v.write(out);
        } else if (value instanceof Record) {
            RecordComponent[] components = raw.getRecordComponents();
            List<Integer> order = new ArrayList<>(IntStream.range(0, components.length).boxed().toList());
            if (reverseFields) {
                java.util.Collections.reverse(order);
            }
            out.writeStructBegin(new TStruct(raw.getSimpleName()));
            for (int i : order) {
                RecordComponent component = components[i];
                Object field;
                try {
                    field = component.getAccessor().invoke(value);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
                Type fieldType = component.getGenericType();
                if (field instanceof Optional<?> optional) {
                    field = optional.orElse(null);
                    fieldType = ((ParameterizedType) fieldType).getActualTypeArguments()[0];
                }
                if (field != null) {
                    out.writeFieldBegin(new TField(component.getName(), ttype(fieldType), (short) (i + 1)));
                    write(out, field, fieldType, false);
                    out.writeFieldEnd();
                }
            }
            out.writeFieldStop();
            out.writeStructEnd();
        } else if (value instanceof List<?> list) {
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            out.writeListBegin(new TList(ttype(element), list.size()));
            for (Object e : list) {
                write(out, e, element, false);
            }
            out.writeListEnd();
        } else if (value instanceof Map<?, ?> map) {
            Type[] args = ((ParameterizedType) type).getActualTypeArguments();
            out.writeMapBegin(new TMap(ttype(args[0]), ttype(args[1]), map.size()));
            for (Map.Entry<?, ?> e : map.entrySet()) {
                write(out, e.getKey(), args[0], false);
                write(out, e.getValue(), args[1], false);
            }
            out.writeMapEnd();
        } else {
            throw new IllegalArgumentException("no oracle for " + type);
        }
    }

    private static byte ttype(Type type) {
        Class<?> raw = raw(type);
        if (raw == boolean.class || raw == Boolean.class) {
            return TType.BOOL;
        } else if (raw == byte.class || raw == Byte.class) {
            return TType.BYTE;
        } else if (raw == short.class || raw == Short.class) {
            return TType.I16;
        } else if (raw == int.class || raw == Integer.class) {
            return TType.I32;
        } else if (raw == long.class || raw == Long.class) {
            return TType.I64;
        } else if (raw == float.class || raw == Float.class || raw == double.class || raw == Double.class) {
            return TType.DOUBLE;
        } else if (raw == String.class || raw == byte[].class || raw.isEnum()) {
            return TType.STRING;
        } else if (raw == List.class) {
            return TType.LIST;
        } else if (raw == Map.class) {
            return TType.MAP;
        }
        return TType.STRUCT;
    }

    private static Class<?> raw(Type type) {
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    }
}
