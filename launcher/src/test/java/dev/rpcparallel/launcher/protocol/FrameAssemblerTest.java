package dev.rpcparallel.launcher.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameKind;
import java.net.ProtocolException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Joining the pieces of a payload, from slices of a buffer that is reused between pieces. */
class FrameAssemblerTest {

    private static final int PIECE = 1000;

    @Test
    void piecesGivenAsSlicesOfOneReusedBufferAreJoinedWhole() throws Exception {
        byte[] payload = new byte[5 * PIECE + 123];
        new Random(7).nextBytes(payload);
        FrameAssembler assembler = new FrameAssembler(payload.length);
        byte[] readBuffer = new byte[PIECE + 50];
        Frame joined = null;
        for (int offset = 0; offset < payload.length; offset += PIECE) {
            int length = Math.min(PIECE, payload.length - offset);
            boolean last = offset + length == payload.length;
            FrameKind kind = last ? FrameKind.RESULT : FrameKind.CHUNK;
            assertThat(assembler.joins(kind, 9)).isEqualTo(!last || offset > 0);
            // The transport reads the next frame into the same buffer, at some offset of its own.
            Arrays.fill(readBuffer, (byte) 0x55);
            System.arraycopy(payload, offset, readBuffer, 17, length);
            joined = assembler.accept(kind, 9, last ? 0 : payload.length, readBuffer, 17, length);
            assertThat(joined == null).isEqualTo(!last);
        }
        assertThat(joined.kind()).isEqualTo(FrameKind.RESULT);
        assertThat(joined.callId()).isEqualTo(9);
        assertThat(joined.payload()).isEqualTo(payload);
        // The call is done: its next frame is not a piece.
        assertThat(assembler.joins(FrameKind.RESULT, 9)).isFalse();
    }

    @Test
    void frameAndSlicePiecesMix() throws Exception {
        FrameAssembler assembler = new FrameAssembler(1 << 20);
        assertThat(assembler.accept(new Frame(FrameKind.CHUNK, 1, 6, new byte[] {1, 2}))).isNull();
        assertThat(assembler.accept(FrameKind.CHUNK, 1, 6, new byte[] {9, 3, 4, 9}, 1, 2)).isNull();
        Frame whole = assembler.accept(new Frame(FrameKind.CALL, 1, 42, new byte[] {5, 6}));
        assertThat(whole.functionId()).isEqualTo(42);
        assertThat(whole.payload()).containsExactly(1, 2, 3, 4, 5, 6);
        Frame small = new Frame(FrameKind.CALL, 2, 1, new byte[] {7});
        assertThat(assembler.accept(small)).isSameAs(small);
    }

    @Test
    void aPayloadOverTheMaximumMessageSizeIsRefusedAtItsFirstSlice() {
        FrameAssembler assembler = new FrameAssembler(4096);
        assertThatThrownBy(() -> assembler.accept(FrameKind.CHUNK, 3, 4097, new byte[10], 0, 10))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("call 3 (4097 bytes) is over the maximum message size of 4096 bytes");
    }

    @Test
    void slicesThatOverrunOrFallShortOfTheAnnouncedSizeAreRefused() throws Exception {
        FrameAssembler overrun = new FrameAssembler(4096);
        assertThat(overrun.accept(FrameKind.CHUNK, 4, 10, new byte[8], 0, 8)).isNull();
        assertThatThrownBy(() -> overrun.accept(FrameKind.CHUNK, 4, 10, new byte[8], 0, 3))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("the pieces of the payload of call 4 do not add up to the 10 bytes announced");

        FrameAssembler shortfall = new FrameAssembler(4096);
        assertThat(shortfall.accept(FrameKind.CHUNK, 5, 10, new byte[8], 0, 8)).isNull();
        assertThatThrownBy(() -> shortfall.accept(FrameKind.RESULT, 5, 0, new byte[8], 0, 1))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("do not add up to the 10 bytes announced");
    }
}
