package dev.rpcparallel.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.internal.codec.WireType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.thrift.TBase;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CodecsTest {

    // ---------------------------------------------------------------- test types

    record Range(long from, long to) {}

    /** Range with extra trailing components: a newer writer of Range. */
    record RangeV2(long from, long to, String label, List<Range> parts, Map<String, Integer> tags) {}

    /** A prefix of Range without its primitive second component. */
    record RangeStart(long from) {}

    enum Status { NEW, ACTIVE, CLOSED }

    /** Same constants as Status, in another order: encoding by name keeps them compatible. */
    enum ReorderedStatus { CLOSED, NEW, ACTIVE }

    private record Line(String sku, int quantity, double price) {}

    private record Order(
            String id,
            List<Line> lines,
            Map<String, List<Line>> byWarehouse,
            Status status,
            Line primary,
            Integer priority,
            Optional<String> note,
            byte[] payload,
            boolean express,
            byte flags,
            short region,
            float weight,
            List<List<Long>> matrix,
            Map<Status, Boolean> seen) {}

    record Tagged(Status status) {}

    record TaggedReordered(ReorderedStatus status) {}

    record Named(String status) {}

    record Empty() {}

    record WithInstant(long id, Instant when) {}

    record WithChar(char c) {}

    @SuppressWarnings("rawtypes")
    record WithRawList(List values) {}

    record WithSet(Set<String> values) {}

    record WithWildcard(List<? extends Number> values) {}

    record Box<T>(T value) {}

    record WithNestedUnsupported(String name, List<WithInstant> items) {}

    record WithOptionalInList(List<Optional<String>> values) {}

    record Node(String name, List<Node> children) {}

    record Left(Right right) {}

    record Right(Left left) {}

    record PartialRef(String workerType, String id) {}

    record LongX(long x) {}

    record StringX(String x) {}

    record Nesting(List<Nesting2> inner) {}

    record Nesting2(Map<String, Range> ranges) {}

    // ---------------------------------------------------------------- round trips

    @Nested
    class RoundTrips {

        @Test
        void none() {
            assertThat(Codecs.none().encode(null)).isEmpty();
            assertThat(Codecs.none().decode(new byte[0])).isNull();
        }

        @Test
        void bool() {
            assertThat(roundTrip(Codecs.bool(), true)).isTrue();
            assertThat(roundTrip(Codecs.bool(), false)).isFalse();
        }

        @Test
        void int32() {
            for (int v : new int[] {0, 1, -1, 63, -64, 1_000_000, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
                assertThat(roundTrip(Codecs.int32(), v)).isEqualTo(v);
            }
        }

        @Test
        void int64() {
            for (long v : new long[] {0, 1, -1, 1L << 40, Long.MIN_VALUE, Long.MAX_VALUE}) {
                assertThat(roundTrip(Codecs.int64(), v)).isEqualTo(v);
            }
        }

        @Test
        void int64IsAThriftCompactZigzagVarint() {
            assertThat(Codecs.int64().encode(1L)).containsExactly(0x02);
            assertThat(Codecs.int64().encode(-1L)).containsExactly(0x01);
            assertThat(Codecs.int64().encode(Long.MIN_VALUE)).hasSize(10);
        }

        @Test
        void float64KeepsEveryBit() {
            for (double v : new double[] {0.0, -0.0, 1.5, -Math.PI, Double.MIN_VALUE, Double.MAX_VALUE,
                    Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN}) {
                assertThat(Double.doubleToRawLongBits(roundTrip(Codecs.float64(), v)))
                        .isEqualTo(Double.doubleToRawLongBits(v));
            }
        }

        @Test
        void string() {
            for (String v : List.of("", "a", "héllo wörld", "日本語 🌍 \u0000 \uD83D\uDE00", "x".repeat(100_000))) {
                assertThat(roundTrip(Codecs.string(), v)).isEqualTo(v);
            }
        }

        @Test
        void bytes() {
            byte[] all = new byte[256];
            for (int i = 0; i < all.length; i++) {
                all[i] = (byte) i;
            }
            assertThat(roundTrip(Codecs.bytes(), new byte[0])).isEmpty();
            assertThat(roundTrip(Codecs.bytes(), all)).containsExactly(all);
        }

        @Test
        void bytesAreEncodedAsTheCompactProtocolWritesABinary() throws Exception {
            for (int length : new int[] {0, 1, 127, 128, 16_383, 16_384, 2_097_152}) {
                byte[] value = new byte[length];
                for (int i = 0; i < length; i++) {
                    value[i] = (byte) (i * 31);
                }
                org.apache.thrift.transport.TMemoryBuffer thrift = new org.apache.thrift.transport.TMemoryBuffer(16);
                new org.apache.thrift.protocol.TCompactProtocol(thrift).writeBinary(java.nio.ByteBuffer.wrap(value));
                byte[] expected = Arrays.copyOf(thrift.getArray(), thrift.length());
                assertThat(Codecs.bytes().encode(value)).as("%d bytes", length).isEqualTo(expected);
                assertThat(Codecs.bytes().decode(expected)).as("%d bytes", length).isEqualTo(value);
            }
        }

        @Test
        void malformedBytesAreRefusedWithTheProblemNamed() {
            byte[] encoded = Codecs.bytes().encode(new byte[] {1, 2, 3});
            assertThatThrownBy(() -> Codecs.bytes().decode(Arrays.copyOf(encoded, 3)))
                    .isInstanceOf(CodecException.class);
            assertThatThrownBy(() -> Codecs.bytes().decode(Arrays.copyOf(encoded, 6)))
                    .isInstanceOf(CodecException.class).hasMessageContaining("unexpected bytes after the value");
            assertThatThrownBy(() -> Codecs.bytes().decode(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff,
                    (byte) 0xff, 0x0f})).isInstanceOf(CodecException.class);
        }

        @Test
        void decodedBytesDoNotAliasTheInput() {
            byte[] encoded = Codecs.bytes().encode(new byte[] {1, 2, 3});
            byte[] decoded = Codecs.bytes().decode(encoded);
            Arrays.fill(encoded, (byte) 0);
            assertThat(decoded).containsExactly(1, 2, 3);
        }

        @Test
        void lists() {
            Codec<List<Long>> longs = Codecs.list(Codecs.int64());
            assertThat(roundTrip(longs, List.of())).isEmpty();
            List<Long> large = LongStream.range(-50_000, 50_000).boxed().toList();
            assertThat(roundTrip(longs, large)).isEqualTo(large);

            Codec<List<List<String>>> nested = Codecs.list(Codecs.list(Codecs.string()));
            List<List<String>> value = List.of(List.of(), List.of("a", ""), List.of("ü"));
            assertThat(roundTrip(nested, value)).isEqualTo(value);

            Codec<List<Boolean>> bools = Codecs.list(Codecs.bool());
            assertThat(roundTrip(bools, List.of(true, false, true))).containsExactly(true, false, true);
        }

        @Test
        void decodedListIsUnmodifiable() {
            List<Long> decoded = roundTrip(Codecs.list(Codecs.int64()), List.of(1L, 2L));
            assertThatThrownBy(() -> decoded.add(3L)).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void mapsKeepIterationOrder() {
            Map<String, Integer> ordered = new LinkedHashMap<>();
            for (int i = 100; i > 0; i--) {
                ordered.put("k" + i, i);
            }
            Codec<Map<String, Integer>> codec = Codecs.map(Codecs.string(), Codecs.int32());
            Map<String, Integer> decoded = roundTrip(codec, ordered);
            assertThat(decoded).isEqualTo(ordered);
            assertThat(decoded.keySet()).containsExactlyElementsOf(ordered.keySet());
            assertThat(roundTrip(codec, Map.of())).isEmpty();

            TreeMap<Long, String> sorted = new TreeMap<>(Map.of(3L, "c", 1L, "a", 2L, "b"));
            assertThat(roundTrip(Codecs.map(Codecs.int64(), Codecs.string()), sorted).keySet())
                    .containsExactly(1L, 2L, 3L);
            assertThatThrownBy(() -> decoded.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void mapOfListsOfRecords() {
            Codec<Map<String, List<Range>>> codec =
                    Codecs.map(Codecs.string(), Codecs.list(Codecs.record(Range.class)));
            Map<String, List<Range>> value = Map.of("a", List.of(new Range(1, 2), new Range(-3, 4)), "b", List.of());
            assertThat(roundTrip(codec, value)).isEqualTo(value);
        }

        @Test
        void simpleRecordIsAThriftCompactStruct() {
            // field 1 (delta 1, i64) = zigzag(1), field 2 (delta 1, i64) = zigzag(2), stop
            assertThat(Codecs.record(Range.class).encode(new Range(1, 2)))
                    .containsExactly(0x16, 0x02, 0x16, 0x04, 0x00);
            assertThat(roundTrip(Codecs.record(Range.class), new Range(Long.MIN_VALUE, Long.MAX_VALUE)))
                    .isEqualTo(new Range(Long.MIN_VALUE, Long.MAX_VALUE));
        }

        @Test
        void nestedRecordWithEveryKindOfComponent() {
            Line a = new Line("sku-1", 3, 9.99);
            Line b = new Line("", -1, Double.NaN);
            Order order = new Order(
                    "order-ü-1",
                    List.of(a, b),
                    Map.of("north", List.of(a), "south", List.of()),
                    Status.ACTIVE,
                    b,
                    7,
                    Optional.of("leave at the door"),
                    new byte[] {0, -1, 42},
                    true,
                    (byte) -128,
                    Short.MIN_VALUE,
                    1.25f,
                    List.of(List.of(1L, 2L), List.of()),
                    Map.of(Status.NEW, false, Status.CLOSED, true));

            Order decoded = roundTrip(Codecs.record(Order.class), order);

            assertThat(decoded)
                    .usingRecursiveComparison()
                    .withComparatorForType(Double::compare, Double.class)
                    .isEqualTo(order);
            assertThat(decoded.payload()).containsExactly(0, -1, 42);
        }

        @Test
        void nullReferenceComponentsAndEmptyOptionalStayAbsent() {
            Order order = new Order(null, null, null, null, null, null, Optional.empty(), null,
                    false, (byte) 0, (short) 0, 0f, null, null);

            byte[] encoded = Codecs.record(Order.class).encode(order);
            Order decoded = Codecs.record(Order.class).decode(encoded);

            assertThat(decoded).isEqualTo(order);
            assertThat(decoded.note()).isEmpty();
        }

        @Test
        void nullOptionalComponentDecodesAsEmpty() {
            Order order = new Order("id", List.of(), Map.of(), Status.NEW, null, null, null, new byte[0],
                    false, (byte) 0, (short) 0, 0f, List.of(), Map.of());

            assertThat(roundTrip(Codecs.record(Order.class), order).note()).isEmpty();
        }

        @Test
        void recordWithoutComponents() {
            assertThat(Codecs.record(Empty.class).encode(new Empty())).containsExactly(0x00);
            assertThat(roundTrip(Codecs.record(Empty.class), new Empty())).isEqualTo(new Empty());
        }

        @Test
        void enumsTravelByName() {
            byte[] encoded = Codecs.record(Tagged.class).encode(new Tagged(Status.CLOSED));
            assertThat(Codecs.record(TaggedReordered.class).decode(encoded))
                    .isEqualTo(new TaggedReordered(ReorderedStatus.CLOSED));
            assertThat(Codecs.record(Named.class).decode(encoded)).isEqualTo(new Named("CLOSED"));
        }

        @Test
        void unknownFieldsAreSkipped() {
            RangeV2 newer = new RangeV2(5, 6, "label",
                    List.of(new Range(1, 2)), Map.of("a", 1, "b", 2));

            byte[] encoded = Codecs.record(RangeV2.class).encode(newer);

            assertThat(Codecs.record(Range.class).decode(encoded)).isEqualTo(new Range(5, 6));
            assertThat(Codecs.record(RangeStart.class).decode(encoded)).isEqualTo(new RangeStart(5));
        }

        @Test
        void workerRef() {
            WorkerRef ref = new WorkerRef("primes", "w-1", "primes #1", "thrift://127.0.0.1:41234");
            assertThat(roundTrip(Codecs.workerRef(), ref)).isEqualTo(ref);
            assertThat(roundTrip(Codecs.list(Codecs.workerRef()), List.of(ref, ref))).containsExactly(ref, ref);
        }

        @Test
        void listOfAnApplicationCodecEmbedsItsEncoding() {
            Codec<String> upper = new UpperCaseCodec();
            Codec<List<String>> codec = Codecs.list(upper);

            assertThat(codec.name()).isEqualTo("list<upper>");
            assertThat(roundTrip(codec, List.of("a", "bc"))).containsExactly("A", "BC");
        }

        @Test
        void sharedCodecsAreSafeAcrossThreads() throws Exception {
            Codec<Order> codec = Codecs.record(Order.class);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Callable<Boolean>> tasks = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int seed = t;
                    tasks.add(() -> {
                        for (int i = 0; i < 2_000; i++) {
                            Order order = new Order("o" + seed + "-" + i,
                                    List.of(new Line("s" + i, i, i / 3.0)), Map.of(), Status.NEW, null,
                                    i, Optional.empty(), new byte[] {(byte) i}, i % 2 == 0,
                                    (byte) seed, (short) i, i, List.of(List.of((long) i)), Map.of());
                            Order decoded = codec.decode(codec.encode(order));
                            if (!decoded.id().equals(order.id()) || decoded.priority() != i) {
                                return false;
                            }
                        }
                        return true;
                    });
                }
                for (Future<Boolean> result : pool.invokeAll(tasks)) {
                    assertThat(result.get()).isTrue();
                }
            } finally {
                pool.shutdown();
            }
        }

        @Test
        void recordMetadataIsBuiltOncePerClass() {
            WireType<?> first = ((WireCodec<?>) Codecs.record(Order.class)).wireType();
            WireType<?> second = ((WireCodec<?>) Codecs.record(Order.class)).wireType();
            assertThat(second).isSameAs(first);
        }
    }

    // ---------------------------------------------------------------- names

    @Test
    void names() {
        assertThat(Codecs.none().name()).isEqualTo("void");
        assertThat(Codecs.bool().name()).isEqualTo("bool");
        assertThat(Codecs.int32().name()).isEqualTo("i32");
        assertThat(Codecs.int64().name()).isEqualTo("i64");
        assertThat(Codecs.float64().name()).isEqualTo("double");
        assertThat(Codecs.string().name()).isEqualTo("string");
        assertThat(Codecs.bytes().name()).isEqualTo("binary");
        assertThat(Codecs.list(Codecs.int64()).name()).isEqualTo("list<i64>");
        assertThat(Codecs.map(Codecs.string(), Codecs.int32()).name()).isEqualTo("map<string,i32>");
        assertThat(Codecs.map(Codecs.string(), Codecs.list(Codecs.bytes())).name())
                .isEqualTo("map<string,list<binary>>");
        assertThat(Codecs.record(Range.class).name())
                .isEqualTo("record:dev.rpcparallel.api.CodecsTest$Range(from:i64,to:i64)");
        assertThat(Codecs.workerRef().name()).isEqualTo("record:dev.rpcparallel.api.WorkerRef("
                + "workerType:string,id:string,name:string,address:string)");
        assertThat(Codecs.record(Tagged.class).name())
                .isEqualTo("record:dev.rpcparallel.api.CodecsTest$Tagged(status:enum:dev.rpcparallel.api.CodecsTest$Status)");
        assertThat(Codecs.record(Empty.class).name()).isEqualTo("record:dev.rpcparallel.api.CodecsTest$Empty()");
        assertThat(Codecs.list(Codecs.record(Range.class)).toString())
                .isEqualTo("list<record:dev.rpcparallel.api.CodecsTest$Range(from:i64,to:i64)>");
    }

    @Test
    void recordNameDescribesEveryComponent() {
        assertThat(Codecs.record(Order.class).name()).isEqualTo(
                "record:dev.rpcparallel.api.CodecsTest$Order("
                        + "id:string,"
                        + "lines:list<record:dev.rpcparallel.api.CodecsTest$Line(sku:string,quantity:i32,price:double)>,"
                        + "byWarehouse:map<string,list<record:dev.rpcparallel.api.CodecsTest$Line(sku:string,quantity:i32,price:double)>>,"
                        + "status:enum:dev.rpcparallel.api.CodecsTest$Status,"
                        + "primary:record:dev.rpcparallel.api.CodecsTest$Line(sku:string,quantity:i32,price:double),"
                        + "priority:i32,"
                        + "note:optional<string>,"
                        + "payload:binary,"
                        + "express:bool,"
                        + "flags:byte,"
                        + "region:i16,"
                        + "weight:float,"
                        + "matrix:list<list<i64>>,"
                        + "seen:map<enum:dev.rpcparallel.api.CodecsTest$Status,bool>)");
        assertThat(Codecs.record(Range.class).name()).isNotEqualTo(Codecs.record(RangeV2.class).name());
    }

    // ---------------------------------------------------------------- encoding errors

    @Nested
    class EncodingErrors {

        @Test
        void nullIsRejectedByEveryCodecButNone() {
            List<Codec<?>> codecs = List.of(Codecs.bool(), Codecs.int32(), Codecs.int64(), Codecs.float64(),
                    Codecs.string(), Codecs.bytes(), Codecs.list(Codecs.int64()),
                    Codecs.map(Codecs.string(), Codecs.int32()), Codecs.record(Range.class), Codecs.workerRef());
            for (Codec<?> codec : codecs) {
                assertThatThrownBy(() -> codec.encode(null))
                        .isInstanceOf(CodecException.class)
                        .hasMessageContaining("'" + codec.name() + "'")
                        .hasMessageContaining("null is not allowed");
            }
        }

        @Test
        void nullListElement() {
            Codec<List<String>> codec = Codecs.list(Codecs.string());
            assertThatThrownBy(() -> codec.encode(Arrays.asList("a", null)))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("'list<string>'")
                    .hasMessageContaining("list element 1 is null");
        }

        @Test
        void nullMapKeyAndValue() {
            Codec<Map<String, Integer>> codec = Codecs.map(Codecs.string(), Codecs.int32());
            Map<String, Integer> nullKey = new HashMap<>();
            nullKey.put(null, 1);
            Map<String, Integer> nullValue = new HashMap<>();
            nullValue.put("a", null);

            assertThatThrownBy(() -> codec.encode(nullKey))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("'map<string,i32>'")
                    .hasMessageContaining("null key");
            assertThatThrownBy(() -> codec.encode(nullValue))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("'map<string,i32>'")
                    .hasMessageContaining("null value");
        }

        @Test
        void nullElementInsideARecordNamesTheComponent() {
            Order order = new Order("id", Arrays.asList(new Line("a", 1, 1), null), null, null, null, null,
                    Optional.empty(), null, false, (byte) 0, (short) 0, 0f, null, null);
            Codec<Order> codec = Codecs.record(Order.class);

            assertThatThrownBy(() -> codec.encode(order))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("'" + codec.name() + "'")
                    .hasMessageContaining("component 'lines'")
                    .hasMessageContaining("list element 1 is null");
        }

        @Test
        void nestingBeyondTheLimit() {
            Codec<?> codec = Codecs.int64();
            Object value = 1L;
            for (int i = 0; i < 100; i++) {
                codec = Codecs.list(codec);
                value = List.of(value);
            }
            @SuppressWarnings("unchecked")
            Codec<Object> deep = (Codec<Object>) codec;
            Object deepValue = value;

            assertThatThrownBy(() -> deep.encode(deepValue))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("cannot encode");
        }
    }

    // ---------------------------------------------------------------- decoding errors

    @Nested
    class DecodingErrors {

        @Test
        void garbage() {
            byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                    (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x13, 0x37};
            for (Codec<?> codec : everyCodec()) {
                assertDecodeFails(codec, garbage);
            }
        }

        @Test
        void randomGarbageNeverEscapesAsAnotherException() {
            java.util.Random random = new java.util.Random(42);
            for (int i = 0; i < 5_000; i++) {
                byte[] bytes = new byte[1 + random.nextInt(40)];
                random.nextBytes(bytes);
                for (Codec<?> codec : everyCodec()) {
                    try {
                        codec.decode(bytes);
                    } catch (CodecException e) {
                        assertThat(e).hasMessageContaining("'" + codec.name() + "'");
                    }
                }
            }
        }

        @Test
        void corruptedEncodingsNeverEscapeAsAnotherException() {
            Codec<Order> codec = Codecs.record(Order.class);
            byte[] valid = codec.encode(new Order("id", List.of(new Line("a", 1, 2.5)), Map.of("w", List.of()),
                    Status.NEW, new Line("b", 2, 0), 3, Optional.of("n"), new byte[] {1, 2}, true, (byte) 1,
                    (short) 2, 3f, List.of(List.of(4L)), Map.of(Status.NEW, true)));
            for (int position = 0; position < valid.length; position++) {
                for (int b = 0; b < 256; b++) {
                    byte[] corrupted = valid.clone();
                    corrupted[position] = (byte) b;
                    try {
                        codec.decode(corrupted);
                    } catch (CodecException e) {
                        assertThat(e).hasMessageContaining("'" + codec.name() + "'");
                    }
                }
            }
        }

        @Test
        void emptyInput() {
            for (Codec<?> codec : everyCodec()) {
                assertDecodeFails(codec, new byte[0]);
            }
        }

        @Test
        void nullInput() {
            for (Codec<?> codec : everyCodec()) {
                assertDecodeFails(codec, null);
            }
            assertDecodeFails(Codecs.none(), null);
        }

        @Test
        void everyTruncationOfAnEncodingFails() {
            Codec<Order> codec = Codecs.record(Order.class);
            Order order = new Order("id", List.of(new Line("a", 1, 2.5)), Map.of("w", List.of()), Status.NEW,
                    null, 3, Optional.of("n"), new byte[] {1, 2}, true, (byte) 1, (short) 2, 3f,
                    List.of(List.of(4L)), Map.of(Status.NEW, true));
            byte[] encoded = codec.encode(order);
            for (int length = 0; length < encoded.length; length++) {
                assertDecodeFails(codec, Arrays.copyOf(encoded, length));
            }
            byte[] string = Codecs.string().encode("hello");
            assertThatThrownBy(() -> Codecs.string().decode(Arrays.copyOf(string, 3)))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("'string'")
                    .hasMessageContaining("truncated");
        }

        @Test
        void trailingBytes() {
            byte[] encoded = Codecs.int64().encode(5L);
            byte[] longer = Arrays.copyOf(encoded, encoded.length + 2);
            assertThatThrownBy(() -> Codecs.int64().decode(longer))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("'i64'")
                    .hasMessageContaining("2 unexpected bytes");
        }

        @Test
        void bytesOfAnotherCodec() {
            assertDecodeFails(Codecs.int64(), Codecs.string().encode("hello"));
            assertDecodeFails(Codecs.list(Codecs.int64()), Codecs.record(Range.class).encode(new Range(1, 2)));
            assertDecodeFails(Codecs.list(Codecs.string()), Codecs.list(Codecs.int64()).encode(List.of(1L, 2L)));
            assertDecodeFails(Codecs.map(Codecs.string(), Codecs.int32()),
                    Codecs.map(Codecs.int32(), Codecs.string()).encode(Map.of(1, "a")));
            assertDecodeFails(Codecs.record(Range.class), Codecs.string().encode("hello"));
            assertDecodeFails(Codecs.workerRef(), Codecs.record(Range.class).encode(new Range(1, 2)));
            assertDecodeFails(Codecs.record(StringX.class), Codecs.record(LongX.class).encode(new LongX(7)));
            assertThatThrownBy(() -> Codecs.record(StringX.class).decode(Codecs.record(LongX.class).encode(new LongX(7))))
                    .hasMessageContaining("component 'x'")
                    .hasMessageContaining("field 1 is i64, expected binary");
        }

        @Test
        void hugeDeclaredStringLengthFailsWithoutAllocating() {
            byte[] oneGiB = concat(varint(1 << 30), "abc".getBytes(StandardCharsets.UTF_8));
            byte[] almost2GiB = concat(varint(Integer.MAX_VALUE - 8), new byte[] {1, 2, 3});
            for (byte[] bytes : List.of(oneGiB, almost2GiB)) {
                assertDecodeFails(Codecs.string(), bytes);
                assertDecodeFails(Codecs.bytes(), bytes);
                assertThatThrownBy(() -> Codecs.string().decode(bytes))
                        .hasMessageContaining("exceeds the input");
                // field 1 of StringX: delta 1, compact type binary (8)
                assertDecodeFails(Codecs.record(StringX.class), concat(new byte[] {0x18}, bytes));
                // a list of one string
                assertDecodeFails(Codecs.list(Codecs.string()), concat(new byte[] {0x18}, bytes));
            }
        }

        @Test
        void hugeDeclaredContainerSizesFailWithoutAllocating() {
            // list header: size in a varint (0xf_), element type struct (12)
            byte[] records = concat(new byte[] {(byte) 0xfc}, varint(Integer.MAX_VALUE - 8), new byte[] {0, 0});
            assertDecodeFails(Codecs.list(Codecs.record(Empty.class)), records);
            byte[] longs = concat(new byte[] {(byte) 0xf6}, varint(1 << 30), new byte[] {2, 4});
            assertDecodeFails(Codecs.list(Codecs.int64()), longs);
            // map header: size varint, then key type << 4 | value type (struct, struct)
            byte[] map = concat(varint(1 << 30), new byte[] {(byte) 0xcc, 0, 0});
            assertDecodeFails(Codecs.map(Codecs.record(Empty.class), Codecs.record(Empty.class)), map);
        }

        @Test
        void deeplyNestedUnknownFieldFailsWithoutStackOverflow() {
            // LongX, then an unknown field 2 holding a list of a list of a list ... 100_000 deep
            byte[] bytes = new byte[3 + 100_000];
            bytes[0] = 0x16;
            bytes[1] = 0x02;
            bytes[2] = 0x19; // field 2 (delta 1), compact type list (9)
            Arrays.fill(bytes, 3, bytes.length, (byte) 0x19); // list of one element of type list
            assertDecodeFails(Codecs.record(LongX.class), bytes);
        }

        @Test
        void unknownEnumConstant() {
            byte[] encoded = Codecs.record(Named.class).encode(new Named("GONE"));
            assertThatThrownBy(() -> Codecs.record(Tagged.class).decode(encoded))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("'" + Codecs.record(Tagged.class).name() + "'")
                    .hasMessageContaining("unknown constant 'GONE' of enum dev.rpcparallel.api.CodecsTest$Status");
        }

        @Test
        void missingPrimitiveComponent() {
            byte[] encoded = Codecs.record(RangeStart.class).encode(new RangeStart(1));
            Codec<Range> codec = Codecs.record(Range.class);
            assertThatThrownBy(() -> codec.decode(encoded))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("'" + codec.name() + "'")
                    .hasMessageContaining("record dev.rpcparallel.api.CodecsTest$Range has no value for"
                            + " primitive component 'to'");
        }

        @Test
        void constructorRejectingDecodedValues() {
            byte[] encoded = Codecs.record(PartialRef.class).encode(new PartialRef("t", "id"));
            assertThatThrownBy(() -> Codecs.workerRef().decode(encoded))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("'" + Codecs.workerRef().name() + "'")
                    .hasMessageContaining("constructor of record dev.rpcparallel.api.WorkerRef rejected");
        }

        @Test
        void noneAcceptsOnlyEmptyInput() {
            assertThatThrownBy(() -> Codecs.none().decode(new byte[] {0}))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("'void'")
                    .hasMessageContaining("accepts only empty input");
        }

        private List<Codec<?>> everyCodec() {
            return List.of(Codecs.bool(), Codecs.int32(), Codecs.int64(), Codecs.float64(), Codecs.string(),
                    Codecs.bytes(), Codecs.list(Codecs.int64()), Codecs.list(Codecs.record(Range.class)),
                    Codecs.map(Codecs.string(), Codecs.list(Codecs.int32())), Codecs.record(Range.class),
                    Codecs.record(Order.class), Codecs.record(Nesting.class), Codecs.workerRef(),
                    Codecs.list(new UpperCaseCodec()));
        }
    }

    // ---------------------------------------------------------------- creation errors

    @Nested
    class CreationErrors {

        @Test
        void unsupportedComponentType() {
            assertThatThrownBy(() -> Codecs.record(WithInstant.class))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("record dev.rpcparallel.api.CodecsTest$WithInstant")
                    .hasMessageContaining("component 'when'")
                    .hasMessageContaining("java.time.Instant is not supported")
                    .hasMessageContaining("supported types are boolean, byte, short, int, long, float, double");
        }

        @Test
        void otherUnsupportedComponentTypes() {
            assertUnsupported(WithChar.class, "component 'c'", "char is not supported");
            assertUnsupported(WithRawList.class, "component 'values'", "raw java.util.List");
            assertUnsupported(WithSet.class, "component 'values'", "java.util.Set<java.lang.String> is not supported");
            assertUnsupported(WithWildcard.class, "component 'values'", "? extends java.lang.Number is not supported");
            assertUnsupported(Box.class, "component 'value'", "T is not supported");
            assertUnsupported(WithOptionalInList.class, "component 'values'",
                    "java.util.Optional<java.lang.String> is supported only as the type of a record component");
        }

        @Test
        void unsupportedTypeInANestedRecordNamesBothRecords() {
            assertThatThrownBy(() -> Codecs.record(WithNestedUnsupported.class))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("record dev.rpcparallel.api.CodecsTest$WithNestedUnsupported: component 'items'")
                    .hasMessageContaining("record dev.rpcparallel.api.CodecsTest$WithInstant: component 'when'")
                    .hasMessageContaining("java.time.Instant is not supported");
        }

        @Test
        void recursiveRecords() {
            assertThatThrownBy(() -> Codecs.record(Node.class))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("recursive record types are not supported: "
                            + "dev.rpcparallel.api.CodecsTest$Node -> dev.rpcparallel.api.CodecsTest$Node");
            assertThatThrownBy(() -> Codecs.record(Left.class))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("CodecsTest$Left -> dev.rpcparallel.api.CodecsTest$Right"
                            + " -> dev.rpcparallel.api.CodecsTest$Left");
        }

        @Test
        @SuppressWarnings({"unchecked", "rawtypes"})
        void notARecord() {
            assertThatThrownBy(() -> Codecs.record((Class) String.class))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("java.lang.String: not a record");
        }

        @Test
        void thriftOnANonThriftClass() {
            assertThatThrownBy(() -> Codecs.thrift(String.class))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("java.lang.String")
                    .hasMessageContaining("not a Thrift-generated struct (does not implement org.apache.thrift.TBase)");
            assertThatThrownBy(() -> Codecs.thrift(Range.class))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("dev.rpcparallel.api.CodecsTest$Range");
        }

        @Test
        void thriftWithoutAPublicNoArgConstructor() {
            assertThatThrownBy(() -> Codecs.thrift(TBase.class))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("org.apache.thrift.TBase")
                    .hasMessageContaining("no accessible public no-arg constructor");
        }

        @Test
        void noneCannotBeAnElement() {
            assertThatThrownBy(() -> Codecs.list(Codecs.none()))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("'void' cannot be used as a list element");
            assertThatThrownBy(() -> Codecs.map(Codecs.string(), Codecs.none()))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("'void' cannot be used as a map value");
        }

        private void assertUnsupported(Class<? extends Record> type, String component, String detail) {
            assertThatThrownBy(() -> Codecs.record(type))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("record " + type.getName())
                    .hasMessageContaining(component)
                    .hasMessageContaining(detail);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static <T> T roundTrip(Codec<T> codec, T value) {
        return codec.decode(codec.encode(value));
    }

    private static void assertDecodeFails(Codec<?> codec, byte[] bytes) {
        assertThatThrownBy(() -> codec.decode(bytes))
                .as("%s decoding %s", codec.name(), bytes == null ? null : Arrays.toString(bytes))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("'" + codec.name() + "'");
    }

    /** An unsigned LEB128 varint, as the compact protocol writes lengths and sizes. */
    private static byte[] varint(int value) {
        byte[] out = new byte[5];
        int n = 0;
        while ((value & ~0x7f) != 0) {
            out[n++] = (byte) ((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out[n++] = (byte) value;
        return Arrays.copyOf(out, n);
    }

    private static byte[] concat(byte[]... parts) {
        int length = IntStream.range(0, parts.length).map(i -> parts[i].length).sum();
        byte[] out = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, offset, part.length);
            offset += part.length;
        }
        return out;
    }

    /** An application codec, not built by Codecs: upper-cases on decode. */
    private static final class UpperCaseCodec implements Codec<String> {
        @Override
        public byte[] encode(String value) {
            if (value == null) {
                throw new CodecException("Codec 'upper' cannot encode null");
            }
            return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8).toUpperCase(java.util.Locale.ROOT);
        }

        @Override
        public String name() {
            return "upper";
        }
    }
}
