package dev.rpcparallel.transport.thrift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameKind;
import dev.rpcparallel.transport.stream.InboundFrame;
import dev.rpcparallel.transport.thrift.wire.WireFrame;
import java.io.ByteArrayOutputStream;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.thrift.TSerializer;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TField;
import org.apache.thrift.protocol.TList;
import org.apache.thrift.protocol.TMap;
import org.apache.thrift.protocol.TStruct;
import org.apache.thrift.protocol.TType;
import org.apache.thrift.transport.TIOStreamTransport;
import org.junit.jupiter.api.Test;

/**
 * The hand-written envelope against libthrift's: the code generated from {@code rpc_parallel.thrift}
 * and {@code TCompactProtocol} are the reference.
 */
class WireFramesTest {
    private static final long[] CALL_IDS = {0, 1, -1, 63, 64, -64, -65, 8191, 8192, Integer.MAX_VALUE,
        Integer.MIN_VALUE, 1L << 48, -(1L << 48), Long.MAX_VALUE, Long.MIN_VALUE};
    private static final int[] FUNCTION_IDS = {0, 1, -1, 63, 64, -65, 8192, 1 << 20, Integer.MAX_VALUE, Integer.MIN_VALUE};
    private static final int[] PAYLOAD_SIZES = {0, 1, 127, 128, 16383, 16384, 70_000};

    @Test
    void theGeneratedKindsAreTheRuntimesKinds() {
        assertThat(Arrays.stream(dev.rpcparallel.transport.thrift.wire.FrameKind.values())
                        .map(kind -> kind.name() + "=" + kind.getValue()))
                .containsExactlyElementsOf(Arrays.stream(FrameKind.values())
                        .map(kind -> kind.name() + "=" + kind.wireValue())
                        .toList());
    }

    @Test
    void framesAreWrittenByteForByteAsLibthriftWritesThemAndReadBack() throws Exception {
        TSerializer serializer = new TSerializer(new TCompactProtocol.Factory());
        for (FrameKind kind : FrameKind.values()) {
            for (long callId : CALL_IDS) {
                for (int functionId : FUNCTION_IDS) {
                    for (int payloadSize : PAYLOAD_SIZES) {
                        byte[] payload = new byte[payloadSize];
                        Arrays.fill(payload, (byte) (payloadSize + 1));
                        Frame frame = new Frame(kind, callId, functionId, payload);
                        byte[] expected = serializer.serialize(new WireFrame(wireKind(kind), callId, functionId,
                                ByteBuffer.wrap(payload)));

                        byte[] written = write(frame);

                        assertThat(written).as("%s", frame).isEqualTo(expected);
                        assertThat(WireFrames.encodedSize(frame)).as("%s", frame).isEqualTo(expected.length);
                        InboundFrame read = read(expected);
                        assertThat(read.kind()).isEqualTo(kind);
                        assertThat(read.callId()).isEqualTo(callId);
                        assertThat(read.functionId()).isEqualTo(functionId);
                        assertThat(Arrays.copyOfRange(read.buffer(), read.offset(), read.offset() + read.length()))
                                .isEqualTo(payload);
                    }
                }
            }
        }
    }

    /** A newer peer's optional fields, of every type, are skipped; the known ones may come in any order. */
    @Test
    void fieldsOfANewerPeerAreSkippedAndTheOrderOfFieldsDoesNotMatter() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TCompactProtocol out = new TCompactProtocol(new TIOStreamTransport(bytes));
        out.writeStructBegin(new TStruct("WireFrame"));
        out.writeFieldBegin(new TField("payload", TType.STRING, (short) 4));
        out.writeBinary(ByteBuffer.wrap(new byte[] {7, 8, 9}));
        out.writeFieldBegin(new TField("flag", TType.BOOL, (short) 9));
        out.writeBool(true);
        out.writeFieldBegin(new TField("nested", TType.STRUCT, (short) 30));
        out.writeStructBegin(new TStruct("Nested"));
        out.writeFieldBegin(new TField("d", TType.DOUBLE, (short) 1));
        out.writeDouble(1.5);
        out.writeFieldBegin(new TField("bools", TType.LIST, (short) 200));
        out.writeListBegin(new TList(TType.BOOL, 20));
        for (int i = 0; i < 20; i++) {
            out.writeBool(i % 3 == 0);
        }
        out.writeFieldStop();
        out.writeFieldBegin(new TField("map", TType.MAP, (short) 31));
        out.writeMapBegin(new TMap(TType.STRING, TType.I64, 2));
        out.writeString("a");
        out.writeI64(-5);
        out.writeString("b");
        out.writeI64(1L << 40);
        out.writeFieldBegin(new TField("kind", TType.I32, (short) 1));
        out.writeI32(FrameKind.RESULT.wireValue());
        out.writeFieldBegin(new TField("callId", TType.I64, (short) 2));
        out.writeI64(42);
        out.writeFieldBegin(new TField("functionId", TType.STRING, (short) 3)); // a type it does not expect
        out.writeString("skipped");
        out.writeFieldStop();

        InboundFrame read = read(bytes.toByteArray());

        assertThat(read.kind()).isEqualTo(FrameKind.RESULT);
        assertThat(read.callId()).isEqualTo(42);
        assertThat(read.functionId()).isZero();
        assertThat(Arrays.copyOfRange(read.buffer(), read.offset(), read.offset() + read.length()))
                .containsExactly(7, 8, 9);
    }

    @Test
    void nestingPastTheLimitIsMalformed() {
        ByteArrayOutputStream struct = new ByteArrayOutputStream();
        struct.write(0x15); // kind
        struct.write(FrameKind.CALL.wireValue() * 2);
        for (int i = 0; i < WireFrames.NESTING_LIMIT + 1; i++) {
            struct.write(0x1c); // a struct field, id + 1
        }
        assertThatThrownBy(() -> read(struct.toByteArray())).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("nested deeper than " + WireFrames.NESTING_LIMIT);
    }

    private static byte[] write(Frame frame) {
        byte[] head = new byte[WireFrames.MAX_HEAD_SIZE];
        int end = WireFrames.writeHead(head, 0, frame.kind(), frame.callId(), frame.functionId(), frame.payload().length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(head, 0, end);
        out.write(frame.payload(), 0, frame.payload().length);
        out.write(WireFrames.STOP);
        return out.toByteArray();
    }

    private static InboundFrame read(byte[] struct) throws ProtocolException {
        byte[] buffer = new byte[struct.length + 6];
        System.arraycopy(struct, 0, buffer, 3, struct.length);
        InboundFrame frame = new InboundFrame();
        WireFrames.read(buffer, 3, struct.length, "peer", frame);
        return frame;
    }

    private static dev.rpcparallel.transport.thrift.wire.FrameKind wireKind(FrameKind kind) {
        return dev.rpcparallel.transport.thrift.wire.FrameKind.findByValue(kind.wireValue());
    }
}
