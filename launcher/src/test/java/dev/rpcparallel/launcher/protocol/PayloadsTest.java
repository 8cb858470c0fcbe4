package dev.rpcparallel.launcher.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.CodecException;
import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameKind;
import org.junit.jupiter.api.Test;

class PayloadsTest {

    @Test
    void aCodecFailureNamesWhatTheFunctionTheWorkerAndTheCodec() {
        byte[] notAnI64 = {(byte) 0xff};
        assertThatThrownBy(() -> Payloads.decode(Codecs.int64(), notAnI64, "the result", "count", "w-1"))
                .isInstanceOf(CodecException.class)
                .hasMessageStartingWith("Cannot decode the result of function 'count' from worker 'w-1' with codec i64: ")
                .hasCauseInstanceOf(CodecException.class);
        assertThatThrownBy(() -> Payloads.decode(Codecs.int64(), notAnI64, "the connection argument", null, null))
                .hasMessageStartingWith("Cannot decode the connection argument with codec i64: ");
    }

    @Test
    void anEncodingFailureNamesWhatAndTheFunction() {
        assertThatThrownBy(() -> Payloads.encode(Codecs.string(), null, "the argument", "echo"))
                .isInstanceOf(CodecException.class)
                .hasMessageStartingWith("Cannot encode the argument of function 'echo' with codec string: ");
    }

    @Test
    void valuesGoThroughUnchanged() {
        byte[] encoded = Payloads.encode(Codecs.int64(), 42L, "the argument", "f");
        assertThat(Payloads.decode(Codecs.int64(), encoded, "the argument", "f", null)).isEqualTo(42L);
    }

    @Test
    void aFrameFromASliceOwnsACopyOfItsBytes() {
        byte[] buffer = {1, 2, 3, 4, 5};
        Frame frame = Payloads.frame(FrameKind.RESULT, 7, 0, buffer, 1, 3);
        buffer[2] = 9;
        assertThat(frame.payload()).containsExactly(2, 3, 4);
        assertThat(frame.callId()).isEqualTo(7);
        assertThat(Payloads.frame(FrameKind.END, 7, 0, buffer, 5, 0).payload()).isEmpty();
    }
}
