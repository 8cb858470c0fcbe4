package dev.rpcparallel.launcher.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.api.Codec;
import dev.rpcparallel.api.LogEvent;
import dev.rpcparallel.launcher.protocol.handshake.SecretProof;
import dev.rpcparallel.spi.transport.FrameKind;
import dev.rpcparallel.transport.thrift.wire.BuiltinFunction;
import dev.rpcparallel.transport.thrift.wire.Builtins;
import dev.rpcparallel.transport.thrift.wire.rpc_parallelConstants;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.thrift.TBase;
import org.apache.thrift.TDeserializer;
import org.apache.thrift.TException;
import org.apache.thrift.TFieldIdEnum;
import org.apache.thrift.TSerializer;
import org.apache.thrift.meta_data.FieldMetaData;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TType;
import org.junit.jupiter.api.Test;

/**
 * The protocol's IDL ({@code rpc_parallel.thrift}) describes every message, frame kind, built-in
 * and constant the runtime puts on the wire, byte for byte: a message added, changed or removed
 * on the Java side without its IDL definition fails here. The IDL's Java, generated from it and
 * committed, is the reference: encoding a message with it (Thrift's own compact protocol) gives
 * the bytes the runtime's codecs give.
 */
class MessagesMatchIdlTest {
    private static final String WIRE = "dev.rpcparallel.transport.thrift.wire.";
    private static final Path IDL = Path.of("src", "main", "thrift", "rpc_parallel.thrift");
    /** Payload codecs of Messages that are not records: each must be documented in the IDL by this text. */
    private static final Map<String, String> SCALAR_PAYLOADS = Map.of(
            "DEADLINE", "the payload, an int64 in the\n   * runtime's encoding");

    @Test
    void everyMessageRecordIsAnIdlStructWithTheSameFields() throws Exception {
        List<Class<?>> records = messageRecords();
        assertThat(records).extracting(Class::getSimpleName).contains("Hello", "Challenge", "Auth", "RemoteError",
                "Registration", "FailureReport", "LogEvent", "WorkerDescription", "FunctionDescription");
        for (Class<?> record : records) {
            Class<?> struct = idlStruct(record);
            Map<String, Short> idlFields = new LinkedHashMap<>();
            Map<String, Byte> idlTypes = new LinkedHashMap<>();
            for (Map.Entry<? extends TFieldIdEnum, FieldMetaData> field : metaData(struct).entrySet()) {
                idlFields.put(field.getValue().fieldName, field.getKey().getThriftFieldId());
                idlTypes.put(field.getValue().fieldName, field.getValue().valueMetaData.type);
            }
            RecordComponent[] components = record.getRecordComponents();
            Map<String, Short> javaFields = new LinkedHashMap<>();
            Map<String, Byte> javaTypes = new LinkedHashMap<>();
            for (int i = 0; i < components.length; i++) {
                javaFields.put(components[i].getName(), (short) (i + 1));
                javaTypes.put(components[i].getName(), thriftType(components[i].getGenericType()));
            }
            assertThat(idlFields).as("field ids of struct %s in the IDL against record %s", struct.getSimpleName(),
                    record.getName()).isEqualTo(javaFields);
            assertThat(idlTypes).as("field types of struct %s in the IDL against record %s", struct.getSimpleName(),
                    record.getName()).isEqualTo(javaTypes);
        }
    }

    @Test
    void everyMessageCodecIsDescribedInTheIdl() throws Exception {
        String idl = Files.readString(idlFile(), UTF_8);
        for (Field field : Messages.class.getFields()) {
            if (!Modifier.isStatic(field.getModifiers()) || field.getType() != Codec.class) {
                continue;
            }
            Codec<?> codec = (Codec<?>) field.get(null);
            if (codec.name().startsWith("record:")) {
                String recordName = codec.name().substring("record:".length(), codec.name().indexOf('('));
                idlStruct(Class.forName(recordName)); // fails naming the missing struct
            } else {
                assertThat(SCALAR_PAYLOADS).as("Messages.%s (codec %s) is a payload of the wire: describe it in"
                        + " rpc_parallel.thrift and here", field.getName(), codec.name()).containsKey(field.getName());
                assertThat(idl).contains(SCALAR_PAYLOADS.get(field.getName()));
            }
        }
    }

    @Test
    void javaEncodingsAreTheIdlEncodingsByteForByte() throws Exception {
        byte[] nonce = new byte[32];
        Arrays.fill(nonce, (byte) 7);
        Messages.RemoteError error = new Messages.RemoteError("function 'f'", "java.lang.IllegalStateException",
                "no\u00e9", "at x\nat y", null);
        sameBytes(Messages.HELLO, new Messages.Hello(2, nonce, "w-1", "0123456789abcdef", ServerRole.WORKER));
        sameBytes(Messages.HELLO, new Messages.Hello(-7, new byte[0], "", "", ServerRole.MASTER));
        sameBytes(Messages.CHALLENGE, new Messages.Challenge(nonce, new byte[] {1, 2, 3}));
        sameBytes(Messages.AUTH, new Messages.Auth(nonce, "arg".getBytes(UTF_8), true, false));
        sameBytes(Messages.AUTH, new Messages.Auth(new byte[0], new byte[0], false, true));
        sameBytes(Messages.REMOTE_ERROR, error);
        sameBytes(Messages.REMOTE_ERROR, new Messages.RemoteError("protocol", "protocol", "x", "", "1 echo\n"));
        sameBytes(Messages.REGISTRATION, new Messages.Registration("w-1", "thrift://127.0.0.1:1", null));
        sameBytes(Messages.REGISTRATION, new Messages.Registration("w-1", null, error));
        sameBytes(Messages.FAILURE_REPORT, new Messages.FailureReport("w-2", error));
        sameBytes(Messages.LOG_EVENT, new LogEvent(1_700_000_000_000L, "INFO", "a.b", "main", "hello", null));
        sameBytes(Messages.WORKER_DESCRIPTION, new Messages.WorkerDescription("echo", 1, "0123456789abcdef",
                List.of(new Messages.FunctionDescription(1, "echo", "rpc", "(string) -> string"),
                        new Messages.FunctionDescription(-3, "", "pipe", "(void) -> i64")), "string"));
    }

    @Test
    void frameKindsAreTheIdlsEnum() {
        Map<String, Integer> java = new LinkedHashMap<>();
        for (FrameKind kind : FrameKind.values()) {
            java.put(kind.name(), kind.wireValue());
        }
        Map<String, Integer> idl = new LinkedHashMap<>();
        for (dev.rpcparallel.transport.thrift.wire.FrameKind kind : dev.rpcparallel.transport.thrift.wire.FrameKind.values()) {
            idl.put(kind.name(), kind.getValue());
        }
        assertThat(idl).as("enum FrameKind of rpc_parallel.thrift against the runtime's FrameKind").isEqualTo(java);
    }

    @Test
    void builtInFunctionIdsAreTheIdlsEnumAndService() throws IllegalAccessException {
        Map<String, Integer> java = new LinkedHashMap<>();
        for (Field field : BuiltinFunctions.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
                java.put(field.getName(), field.getInt(null));
            }
        }
        Map<String, Integer> idl = new LinkedHashMap<>();
        for (BuiltinFunction function : BuiltinFunction.values()) {
            idl.put(function.name(), function.getValue());
        }
        assertThat(idl).as("enum BuiltinFunction of rpc_parallel.thrift against BuiltinFunctions").isEqualTo(java);
        assertThat(Builtins.Iface.class.getMethods()).as("methods of service Builtins, one per built-in")
                .hasSize(java.size());
    }

    @Test
    void protocolConstantsAreTheIdls() {
        assertThat(rpc_parallelConstants.PROTOCOL_VERSION).isEqualTo(Messages.PROTOCOL_VERSION);
        assertThat(rpc_parallelConstants.UNAUTHENTICATED_FRAME_LIMIT).isEqualTo(Messages.UNAUTHENTICATED_FRAME_LIMIT);
        assertThat(rpc_parallelConstants.NONCE_BYTES).isEqualTo(SecretProof.NONCE_BYTES);
        assertThat(rpc_parallelConstants.STREAM_WINDOW_ELEMENTS).isEqualTo(FlowControl.WINDOW);
        assertThat(rpc_parallelConstants.CHUNK_SIZE).isEqualTo(FrameWriter.CHUNK_SIZE);
        assertThat(rpc_parallelConstants.ORIGIN_PROTOCOL).isEqualTo(Messages.RemoteError.PROTOCOL);
        assertThat(rpc_parallelConstants.ORIGIN_LIMIT).isEqualTo(Messages.RemoteError.LIMIT);
        assertThat(List.of(rpc_parallelConstants.ROLE_WORKER, rpc_parallelConstants.ROLE_MASTER))
                .containsExactlyElementsOf(Arrays.stream(ServerRole.values()).map(Enum::name).toList());
        byte[] credit = new FlowControl.Credit(3, 1L << 40).encode();
        assertThat(credit).hasSize(12); // the IDL's Credit comment: a big-endian i32 then a big-endian i64
    }

    @Test
    void everyDefinitionOfTheIdlHasItsCommittedJava() throws IOException {
        String idl = Files.readString(idlFile(), UTF_8);
        TreeSet<String> missing = new TreeSet<>();
        Matcher types = Pattern.compile("(?m)^(?:struct|enum|service)\\s+(\\w+)").matcher(idl);
        while (types.find()) {
            try {
                Class.forName(WIRE + types.group(1));
            } catch (ClassNotFoundException e) {
                missing.add(types.group(1));
            }
        }
        Matcher constants = Pattern.compile("(?m)^const\\s+\\w+\\s+(\\w+)").matcher(idl);
        while (constants.find()) {
            try {
                rpc_parallelConstants.class.getField(constants.group(1));
            } catch (NoSuchFieldException e) {
                missing.add("const " + constants.group(1));
            }
        }
        assertThat(missing).as("definitions of rpc_parallel.thrift without generated Java: regenerate it").isEmpty();
    }

    private static <T> void sameBytes(Codec<T> codec, T message) throws TException, ReflectiveOperationException {
        byte[] java = codec.encode(message);
        Class<?> structClass = idlStruct(message.getClass());
        @SuppressWarnings("rawtypes")
        TBase struct = (TBase) structClass.getConstructor().newInstance();
        new TDeserializer(new TCompactProtocol.Factory()).deserialize(struct, java);
        byte[] idl = new TSerializer(new TCompactProtocol.Factory()).serialize(struct);
        assertThat(idl).as("%s encoded by the IDL's struct, read from the Java encoding", message).isEqualTo(java);
        assertThat(codec.decode(idl)).usingRecursiveComparison().isEqualTo(message);
    }

    private static List<Class<?>> messageRecords() {
        List<Class<?>> records = new ArrayList<>();
        for (Class<?> nested : Messages.class.getClasses()) {
            if (nested.isRecord()) {
                records.add(nested);
            }
        }
        records.add(LogEvent.class);
        return records;
    }

    private static Class<?> idlStruct(Class<?> record) {
        try {
            return Class.forName(WIRE + record.getSimpleName());
        } catch (ClassNotFoundException e) {
            throw new AssertionError("record " + record.getName() + " travels on the wire but rpc_parallel.thrift has no"
                    + " struct " + record.getSimpleName() + ": add it (field i + 1 for component i) and regenerate", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<? extends TFieldIdEnum, FieldMetaData> metaData(Class<?> struct) throws ReflectiveOperationException {
        return (Map<? extends TFieldIdEnum, FieldMetaData>) struct.getField("metaDataMap").get(null);
    }

    private static byte thriftType(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            return TType.LIST;
        }
        if (type == int.class || type == Integer.class) {
            return TType.I32;
        }
        if (type == long.class || type == Long.class) {
            return TType.I64;
        }
        if (type == boolean.class || type == Boolean.class) {
            return TType.BOOL;
        }
        if (type == String.class || type == byte[].class || type instanceof Class<?> c && c.isEnum()) {
            return TType.STRING;
        }
        if (type instanceof Class<?> c && c.isRecord()) {
            return TType.STRUCT;
        }
        throw new AssertionError("no Thrift type known for " + type + ": extend this test with the codec's rule");
    }

    /** The IDL: the transport module's, from this module's directory or the root. */
    private static Path idlFile() {
        for (Path base : List.of(Path.of("..", "transport-thrift"), Path.of("transport-thrift"))) {
            if (Files.isRegularFile(base.resolve(IDL))) {
                return base.resolve(IDL);
            }
        }
        throw new AssertionError("rpc_parallel.thrift not found from " + Path.of("").toAbsolutePath());
    }
}
