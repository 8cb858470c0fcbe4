package dev.rpcparallel.api;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.annotation.API;
import dev.rpcparallel.api.internal.codec.ListWireType;
import dev.rpcparallel.api.internal.codec.MapWireType;
import dev.rpcparallel.api.internal.codec.WireFormatException;
import dev.rpcparallel.api.internal.codec.WireTypes;
import java.util.List;
import java.util.Map;

/**
 * The built-in {@link Codec}s: scalars, lists, maps, records and Thrift-generated structs.
 *
 * <p>Every built-in codec encodes with Apache Thrift's compact protocol (never Java
 * serialization): a scalar is the compact encoding of one Thrift value, a list or map one Thrift
 * list or map, a record one Thrift struct. A worker written in another language can therefore
 * read and write the same bytes given the equivalent Thrift definition.
 *
 * <pre>{@code
 * record Range(long from, long to) {}
 *
 * Codec<Range> ranges = Codecs.record(Range.class);
 * byte[] bytes = ranges.encode(new Range(0, 1_000));
 * Range range = ranges.decode(bytes);
 *
 * Codec<Map<String, List<Long>>> index = Codecs.map(Codecs.string(), Codecs.list(Codecs.int64()));
 * }</pre>
 *
 * <p><b>Nullability.</b> Only {@link #none()} encodes {@code null}; every other codec rejects a
 * {@code null} value, list element, map key or map value with a {@link CodecException}. Record
 * components of reference types may be {@code null} (see {@link #record}).
 *
 * <p><b>Errors.</b> Encoding a value a codec cannot encode and decoding bytes that are not a
 * valid encoding both throw {@link CodecException}, whose message names the codec's
 * {@link Codec#name() name}. Decoding is bounded by its input: a declared length or element count
 * beyond the input fails without allocating it, nesting is limited to 64 levels, and trailing
 * bytes after the value are an error.
 *
 * <p><b>Thread safety.</b> All codecs returned here are immutable and safe to share between any
 * number of threads; each call uses its own buffers.
 *
 * <p><b>Names.</b> {@link Codec#name()} describes the encoding, such as {@code "list<i64>"}; it is
 * part of the registry fingerprint a master and its workers compare, so changing a record's
 * components changes its codec's name.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class Codecs {
    private static final Codec<Void> NONE = new Codec<>() {
        @Override
        public byte[] encode(Void value) {
            return new byte[0];
        }

        @Override
        public Void decode(byte[] bytes) {
            if (bytes == null) {
                throw new CodecException("Codec 'void' cannot decode null");
            }
            if (bytes.length != 0) {
                throw new CodecException("Codec 'void' cannot decode " + bytes.length
                        + " bytes: it accepts only empty input");
            }
            return null;
        }

        @Override
        public String name() {
            return "void";
        }

        @Override
        public String toString() {
            return name();
        }
    };

    private static final Codec<Boolean> BOOL = new WireCodec<>(WireTypes.BOOL);
    private static final Codec<Integer> INT32 = new WireCodec<>(WireTypes.I32);
    private static final Codec<Long> INT64 = new WireCodec<>(WireTypes.I64);
    private static final Codec<Double> FLOAT64 = new WireCodec<>(WireTypes.DOUBLE);
    private static final Codec<String> STRING = new WireCodec<>(WireTypes.STRING);
    private static final Codec<byte[]> BYTES = new WireCodec<>(WireTypes.BINARY);

    private Codecs() {}

    /**
     * The codec of "no value", for functions without an argument or a result: {@code null}
     * encodes as an empty byte array, and only an empty byte array decodes (to {@code null}).
     * Named {@code "void"}. It cannot be an element of {@link #list} or {@link #map}.
     *
     * <pre>{@code
     * WorkerType.of("primes", Codecs.none(), Codecs.none());
     * }</pre>
     */
    public static Codec<Void> none() {
        return NONE;
    }

    /**
     * A {@code Boolean} as a Thrift bool. Named {@code "bool"}; rejects {@code null}.
     *
     * <pre>{@code
     * RpcFunction.of("isPrime", Codecs.int64(), Codecs.bool());
     * }</pre>
     */
    public static Codec<Boolean> bool() {
        return BOOL;
    }

    /**
     * An {@code Integer} as a Thrift i32 (a zigzag varint: small magnitudes take few bytes).
     * Named {@code "i32"}; rejects {@code null}.
     *
     * <pre>{@code
     * byte[] bytes = Codecs.int32().encode(42);
     * }</pre>
     */
    public static Codec<Integer> int32() {
        return INT32;
    }

    /**
     * A {@code Long} as a Thrift i64 (a zigzag varint). Named {@code "i64"}; rejects {@code null}.
     *
     * <pre>{@code
     * RpcFunction.of("count", Codecs.record(Range.class), Codecs.int64());
     * }</pre>
     */
    public static Codec<Long> int64() {
        return INT64;
    }

    /**
     * A {@code Double} as a Thrift double (8 bytes, every bit kept: NaN, infinities and
     * {@code -0.0} round-trip). Named {@code "double"}; rejects {@code null}.
     *
     * <pre>{@code
     * double mean = Codecs.float64().decode(bytes);
     * }</pre>
     */
    public static Codec<Double> float64() {
        return FLOAT64;
    }

    /**
     * A {@code String} as a Thrift string (UTF-8, length-prefixed). Named {@code "string"};
     * rejects {@code null}. Invalid UTF-8 decodes with replacement characters, as Thrift does.
     *
     * <pre>{@code
     * RpcFunction.of("greet", Codecs.string(), Codecs.string());
     * }</pre>
     */
    public static Codec<String> string() {
        return STRING;
    }

    /**
     * A {@code byte[]} as a Thrift binary (length-prefixed). Named {@code "binary"}; rejects
     * {@code null}. Encoding copies the array; decoding returns a new array.
     *
     * <p>As the argument or result of an rpc function, an array over 256 KiB is not copied: it is
     * written to the connection from the array itself, after its length, while the call is in
     * flight. Do not change such an argument until its call has answered, nor such a result
     * once the function has returned it.
     *
     * <pre>{@code
     * byte[] chunk = Codecs.bytes().decode(encoded);
     * }</pre>
     */
    public static Codec<byte[]> bytes() {
        return BYTES;
    }

    /**
     * A {@code List} as a Thrift list, elements encoded by {@code element}. Named
     * {@code "list<" + element.name() + ">"}, e.g. {@code "list<i64>"}.
     *
     * <p>The list and its elements must not be {@code null}. A decoded list is unmodifiable and
     * keeps the encoded order. {@code element} may be any built-in codec, including other lists,
     * maps and records; any other codec is embedded as a Thrift binary holding its own encoding.
     *
     * <pre>{@code
     * Codec<List<Range>> ranges = Codecs.list(Codecs.record(Range.class));
     * }</pre>
     *
     * @throws CodecException if {@code element} is {@link #none()}
     */
    public static <E> Codec<List<E>> list(Codec<E> element) {
        requireNonNull(element, "element");
        return new WireCodec<>(new ListWireType<>(WireCodec.wireTypeOf(element, "a list element")));
    }

    /**
     * A {@code Map} as a Thrift map, written in the map's iteration order. Named
     * {@code "map<" + key.name() + "," + value.name() + ">"}, e.g. {@code "map<string,i32>"}.
     *
     * <p>The map, its keys and its values must not be {@code null}. A decoded map is
     * unmodifiable and iterates in the encoded order (a {@code LinkedHashMap} inside), so a
     * {@code TreeMap} or {@code LinkedHashMap} keeps its order across the wire. {@code key} and
     * {@code value} compose like {@link #list}'s element.
     *
     * <pre>{@code
     * Codec<Map<String, Integer>> counts = Codecs.map(Codecs.string(), Codecs.int32());
     * }</pre>
     *
     * @throws CodecException if {@code key} or {@code value} is {@link #none()}
     */
    public static <K, V> Codec<Map<K, V>> map(Codec<K> key, Codec<V> value) {
        requireNonNull(key, "key");
        requireNonNull(value, "value");
        return new WireCodec<>(new MapWireType<>(
                WireCodec.wireTypeOf(key, "a map key"), WireCodec.wireTypeOf(value, "a map value")));
    }

    /**
     * A record as a Thrift struct, found by reflection over its components: component {@code i}
     * (in declaration order, from 0) is field {@code i + 1}.
     *
     * <p>Supported component types: {@code boolean}, {@code byte}, {@code short}, {@code int},
     * {@code long}, {@code float} (written as a double), {@code double} and their boxes;
     * {@code String}; {@code byte[]}; enums (written by constant name, so reordering constants is
     * compatible); records; Thrift-generated structs; {@code List<X>} and {@code Map<K, V>} of
     * any of these, nested to any depth; and {@code Optional<X>} as a component itself. Not
     * supported: {@code char}, other collection types, wildcards, type variables, and records
     * that contain themselves.
     *
     * <p>Nullability: a {@code null} component of a reference type (or an empty
     * {@code Optional}) is not written, and decodes as {@code null} (or an empty
     * {@code Optional}); a primitive component missing from the input is a
     * {@link CodecException}. Elements of list and map components must not be {@code null}.
     *
     * <p>Evolution: fields the record does not have are skipped on decoding, so a record whose
     * components are a prefix of the writer's still reads the writer's bytes. The record's
     * canonical constructor runs on every decoded value, so its validation applies.
     *
     * <p>Named {@code "record:" + type.getName() + "(" + components + ")"}, each component as
     * {@code name:type}, e.g. {@code "record:com.example.Range(from:i64,to:i64)"}.
     *
     * <p>All reflection happens once per record class, when its codec is first created; later
     * calls for the same class are cheap, and encoding and decoding use only method handles. The
     * record need not be public (in a named module, its package must be open to this one).
     *
     * <pre>{@code
     * record Order(String id, List<Line> lines, Map<String, String> tags, Status status) {}
     *
     * Codec<Order> orders = Codecs.record(Order.class);
     * }</pre>
     *
     * @throws CodecException if {@code type} is not a record, has a component of an unsupported
     *     type (the message names the record, the component and the supported types), or is not
     *     accessible
     */
    public static <R extends Record> Codec<R> record(Class<R> type) {
        requireNonNull(type, "type");
        try {
            return new WireCodec<>(WireTypes.record(type));
        } catch (WireFormatException e) {
            throw new CodecException(e.getMessage(), e);
        }
    }

    /**
     * The codec of {@link WorkerRef}: {@code record(WorkerRef.class)}, for passing a worker to
     * another worker.
     *
     * <pre>{@code
     * RpcFunction.of("peer", Codecs.workerRef(), Codecs.none());
     * }</pre>
     */
    public static Codec<WorkerRef> workerRef() {
        return record(WorkerRef.class);
    }

    /**
     * A Thrift-generated struct (a class implementing {@code org.apache.thrift.TBase}), which
     * encodes itself with the compact protocol. Named {@code "thrift:" + type.getName()}; rejects
     * {@code null}. Decoding creates an instance with the public no-arg constructor and reads
     * into it, so the struct's own validation of required fields applies.
     *
     * <pre>{@code
     * Codec<Measurement> measurements = Codecs.thrift(Measurement.class); // generated by thrift
     * }</pre>
     *
     * @throws CodecException if {@code type} does not implement {@code TBase} or has no public
     *     no-arg constructor (the message names the class)
     */
    public static <T> Codec<T> thrift(Class<T> type) {
        requireNonNull(type, "type");
        try {
            return new WireCodec<>(WireTypes.thrift(type));
        } catch (WireFormatException e) {
            throw new CodecException(e.getMessage(), e);
        }
    }
}
