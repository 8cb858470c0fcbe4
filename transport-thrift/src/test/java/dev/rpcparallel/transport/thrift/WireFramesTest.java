package dev.rpcparallel.transport.thrift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameKind;
import dev.rpcparallel.transport.thrift.wire.WireFrame;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.thrift.TSerializer;
import org.apache.thrift.protocol.TCompactProtocol;
import org.junit.jupiter.api.Test;

class WireFramesTest {

    @Test
    void theGeneratedKindsAreTheRuntimesKinds() {
        assertThat(Arrays.stream(dev.rpcparallel.transport.thrift.wire.FrameKind.values())
                        .map(kind -> kind.name() + "=" + kind.getValue()))
                .containsExactlyElementsOf(Arrays.stream(FrameKind.values())
                        .map(kind -> kind.name() + "=" + kind.wireValue())
                        .toList());
        for (FrameKind kind : FrameKind.values()) {
            assertThat(WireFrames.toWire(kind).getValue()).isEqualTo(kind.wireValue());
        }
    }

    @Test
    void encodedSizeIsExact() throws Exception {
        TSerializer serializer = new TSerializer(new TCompactProtocol.Factory());
        long[] callIds = {0, 1, -1, 63, 64, -64, -65, 8191, 8192, Integer.MAX_VALUE, Integer.MIN_VALUE,
            1L << 48, -(1L << 48), Long.MAX_VALUE, Long.MIN_VALUE};
        int[] functionIds = {0, 1, -1, 63, 64, -65, 8192, 1 << 20, Integer.MAX_VALUE, Integer.MIN_VALUE};
        int[] payloadSizes = {0, 1, 127, 128, 16383, 16384, 70_000};
        for (FrameKind kind : FrameKind.values()) {
            for (long callId : callIds) {
                for (int functionId : functionIds) {
                    for (int payloadSize : payloadSizes) {
                        Frame frame = new Frame(kind, callId, functionId, new byte[payloadSize]);
                        byte[] encoded = serializer.serialize(new WireFrame(WireFrames.toWire(kind), callId,
                                functionId, ByteBuffer.wrap(frame.payload())));
                        assertThat(WireFrames.encodedSize(frame)).as("%s", frame).isEqualTo(encoded.length);
                    }
                }
            }
        }
    }
}
