package dev.rpcparallel.thrift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.CodecException;
import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.thrift.testing.Item;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The struct codec of Thrift service calls: Codecs.thrift's bytes and name, and bounded, strict decoding. */
class StructCodecTest {
    private final StructCodec<Item> codec = new StructCodec<>(Item.class);

    @Test
    void encodesTheBytesAndHasTheNameOfCodecsThrift() {
        Item item = new Item("shelf", 42).setPayload(ByteBuffer.wrap(new byte[] {7, 8, 9}));

        byte[] encoded = codec.encode(item);

        assertThat(encoded).isEqualTo(Codecs.thrift(Item.class).encode(item));
        assertThat(codec.name()).isEqualTo(Codecs.thrift(Item.class).name()).isEqualTo("thrift:dev.rpcparallel.thrift.testing.Item");
        assertThat(codec.decode(encoded)).isEqualTo(item);
        assertThat(codec.decode(codec.encode(new Item("again", 1)))).as("the thread's protocol is reused")
                .isEqualTo(new Item("again", 1));
    }

    @Test
    void trailingBytesAreRefused() {
        byte[] encoded = codec.encode(new Item("x", 1));
        byte[] longer = Arrays.copyOf(encoded, encoded.length + 2);

        assertThatThrownBy(() -> codec.decode(longer))
                .isInstanceOf(CodecException.class)
                .hasMessage("Codec 'thrift:dev.rpcparallel.thrift.testing.Item' cannot decode " + longer.length
                        + " bytes: 2 unexpected bytes after the value");
        assertThat(codec.decode(encoded)).isEqualTo(new Item("x", 1));
    }

    @Test
    void aDeclaredLengthBeyondTheInputFailsBeforeAllocating() {
        // field 1, type binary (0x18), then a length of 2^31 - 1 (a varint), and nothing after it
        byte[] huge = {0x18, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};

        assertThatThrownBy(() -> codec.decode(huge))
                .isInstanceOf(CodecException.class)
                .hasMessageStartingWith("Codec 'thrift:dev.rpcparallel.thrift.testing.Item' cannot decode 6 bytes:"
                        + " malformed input: ");
        assertThat(codec.decode(codec.encode(new Item("after", 2)))).isEqualTo(new Item("after", 2));
    }

    @Test
    void nullIsRefusedBothWays() {
        assertThatThrownBy(() -> codec.encode(null)).isInstanceOf(CodecException.class)
                .hasMessage("Codec 'thrift:dev.rpcparallel.thrift.testing.Item' cannot encode the value: null is not allowed");
        assertThatThrownBy(() -> codec.decode(null)).isInstanceOf(CodecException.class)
                .hasMessage("Codec 'thrift:dev.rpcparallel.thrift.testing.Item' cannot decode null");
    }
}
