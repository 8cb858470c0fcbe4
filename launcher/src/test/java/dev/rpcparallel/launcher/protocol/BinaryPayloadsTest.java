package dev.rpcparallel.launcher.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.FrameHandler;
import dev.rpcparallel.spi.transport.FrameKind;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A large {@code byte[]} answer goes out as its head and then its own array, piece by piece,
 * without a copy: the pieces a {@link FrameWriter} writes are slices of the value's array, and a
 * {@link FrameAssembler} joins them into exactly the binary codec's encoding of the value.
 */
class BinaryPayloadsTest {
    private final Slices channel = new Slices();
    private final FrameWriter writer = new FrameWriter(channel, 64 * 1024 * 1024, "rpc-parallel-write-binary-test");

    @AfterEach
    void close() {
        writer.close();
    }

    @Test
    void theHeadIsTheBinaryCodecsLengthPrefix() {
        for (int length : new int[] {0, 1, 127, 128, 16_383, 16_384, FrameWriter.CHUNK_SIZE + 1, 1 << 30}) {
            byte[] encoded = Codecs.bytes().encode(new byte[Math.min(length, 1 << 20)]);
            byte[] head = BinaryPayloads.head(length);
            if (length <= 1 << 20) {
                assertThat(head).as("head of %d bytes", length).isEqualTo(java.util.Arrays.copyOf(encoded, head.length));
                assertThat(encoded.length - head.length).isEqualTo(length);
            } else {
                assertThat(head).hasSize(5);
            }
        }
    }

    @Test
    void onlyALargeByteArrayOfTheBinaryCodecIsSentUncopied() {
        assertThat(BinaryPayloads.sentUncopied(Codecs.bytes(), new byte[BinaryPayloads.COPIED_UP_TO + 1])).isTrue();
        assertThat(BinaryPayloads.sentUncopied(Codecs.bytes(), new byte[BinaryPayloads.COPIED_UP_TO])).isFalse();
        assertThat(BinaryPayloads.sentUncopied(Codecs.string(), "x".repeat(BinaryPayloads.COPIED_UP_TO + 1))).isFalse();
        assertThat(BinaryPayloads.sentUncopied(Codecs.bytes(), null)).isFalse();
    }

    @Test
    void aLargeAnswerIsWrittenFromItsOwnArrayAfterItsHeadAndJoinsIntoItsEncoding() throws Exception {
        byte[] value = new byte[3 * FrameWriter.CHUNK_SIZE + 12_345];
        new Random(7).nextBytes(value);
        java.util.concurrent.atomic.AtomicInteger written = new java.util.concurrent.atomic.AtomicInteger();

        writer.sendAnswer(new Frame(FrameKind.RESULT, 9, 0, value), BinaryPayloads.head(value.length),
                written::incrementAndGet);

        await().atMost(Duration.ofSeconds(30)).until(() -> written.get() == 1);
        byte[] encoded = Codecs.bytes().encode(value);
        assertThat(channel.pieces).first().satisfies(head -> {
            assertThat(head.kind()).isEqualTo(FrameKind.CHUNK);
            assertThat(head.functionId()).as("the whole payload's size").isEqualTo(encoded.length);
            assertThat(head.length()).isEqualTo(encoded.length - value.length);
        });
        assertThat(channel.pieces.subList(1, channel.pieces.size())).allSatisfy(piece -> {
            assertThat(piece.payload()).as("written from the value's own array").isSameAs(value);
            assertThat(piece.kind() == FrameKind.RESULT || piece.functionId() == encoded.length).isTrue();
        });
        assertThat(channel.pieces).last().satisfies(last -> assertThat(last.kind()).isEqualTo(FrameKind.RESULT));

        FrameAssembler assembler = new FrameAssembler(64 * 1024 * 1024);
        Frame joined = null;
        for (Slices.Piece piece : channel.pieces) {
            joined = assembler.accept(piece.kind(), piece.callId(), piece.functionId(), piece.payload(), piece.offset(),
                    piece.length());
        }
        assertThat(joined).isNotNull();
        assertThat(joined.kind()).isEqualTo(FrameKind.RESULT);
        assertThat(joined.payload()).isEqualTo(encoded);
        assertThat(Codecs.bytes().decode(joined.payload())).isEqualTo(value);
    }

    @Test
    void anAnswerOverTheMaximumMessageSizeCountsItsHead() {
        FrameWriter small = new FrameWriter(channel, FrameWriter.CHUNK_SIZE + 2, "rpc-parallel-write-binary-small");
        try {
            byte[] value = new byte[FrameWriter.CHUNK_SIZE];
            assertThatThrownBy(() -> small.sendAnswer(new Frame(FrameKind.RESULT, 1, 0, value),
                    BinaryPayloads.head(value.length), () -> { }))
                    .isInstanceOfSatisfying(MessageSizeException.class,
                            e -> assertThat(e.size()).isEqualTo(FrameWriter.CHUNK_SIZE + 3))
                    .hasMessageStartingWith("the RESULT payload of " + (FrameWriter.CHUNK_SIZE + 3)
                            + " bytes is over the maximum message size of " + (FrameWriter.CHUNK_SIZE + 2) + " bytes");
            assertThat(channel.pieces).isEmpty();
        } finally {
            small.close();
        }
    }

    /** Keeps every piece written as the slice it was given: no copy. */
    private static final class Slices implements FrameChannel {
        record Piece(FrameKind kind, long callId, int functionId, byte[] payload, int offset, int length) {}

        final List<Piece> pieces = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void start(FrameHandler handler) {}

        @Override
        public void send(Frame frame) {
            send(frame.kind(), frame.callId(), frame.functionId(), frame.payload(), 0, frame.payload().length, true);
        }

        @Override
        public void send(FrameKind kind, long callId, int functionId, byte[] payload, int offset, int length,
                boolean flush) {
            pieces.add(new Piece(kind, callId, functionId, payload, offset, length));
        }

        @Override
        public void setMaxFrameSize(int bytes) {}

        @Override
        public String remoteAddress() {
            return "test";
        }

        @Override
        public void close() {}
    }
}
