package dev.rpcparallel.transport.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameOutputTest {

    private static final int MAX = 64 * 1024;

    /** A sink that records each write: its length and whether it came from the caller's array. */
    private static final class Sink extends ByteArrayOutputStream {
        final List<Integer> writes = new ArrayList<>();
        final List<byte[]> arrays = new ArrayList<>();

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            writes.add(length);
            arrays.add(bytes);
            super.write(bytes, offset, length);
        }
    }

    private static byte[] pattern(int size, int seed) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 7 + seed);
        }
        return bytes;
    }

    @Test
    void framesWrittenUnflushedLeaveInOneWriteAsTheBufferGrows() throws IOException {
        Sink sink = new Sink();
        FrameOutput out = new FrameOutput(sink, MAX);
        assertThat(out.bufferSize()).isEqualTo(FrameOutput.INITIAL_BUFFER);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();

        for (int frame = 0; frame < 64; frame++) {
            byte[] bytes = pattern(700, frame);
            out.write(bytes, 0, bytes.length);
            out.write(0);
            expected.write(bytes);
            expected.write(0);
        }
        assertThat(sink.writes).as("writes before the flush").isEmpty();
        out.flush();

        assertThat(sink.writes).containsExactly(64 * 701);
        assertThat(sink.toByteArray()).isEqualTo(expected.toByteArray());
        assertThat(out.bufferSize()).isEqualTo(MAX);
    }

    @Test
    void smallFramesKeepTheInitialBuffer() throws IOException {
        Sink sink = new Sink();
        FrameOutput out = new FrameOutput(sink, MAX);

        for (int frame = 0; frame < 100; frame++) {
            out.write(pattern(100, frame), 0, 100);
            out.flush();
        }

        assertThat(sink.writes).hasSize(100).containsOnly(100);
        assertThat(out.bufferSize()).isEqualTo(FrameOutput.INITIAL_BUFFER);
    }

    @Test
    void aPayloadAsLargeAsTheMaximumGoesStraightFromItsArrayAfterWhatIsBuffered() throws IOException {
        Sink sink = new Sink();
        FrameOutput out = new FrameOutput(sink, MAX);
        byte[] head = pattern(20, 1);
        byte[] payload = pattern(MAX + 5, 2);

        out.write(head, 0, head.length);
        out.write(payload, 0, payload.length);
        out.write(0);
        out.flush();

        assertThat(sink.writes).containsExactly(20, MAX + 5, 1);
        assertThat(sink.arrays.get(1)).isSameAs(payload);
        assertThat(out.bufferSize()).isEqualTo(FrameOutput.INITIAL_BUFFER);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(head);
        expected.write(payload);
        expected.write(0);
        assertThat(sink.toByteArray()).isEqualTo(expected.toByteArray());
    }

    @Test
    void aWriteThatDoesNotFitInTheMaximumEmptiesTheBufferFirst() throws IOException {
        Sink sink = new Sink();
        FrameOutput out = new FrameOutput(sink, MAX);
        byte[] first = pattern(40 * 1024, 3);
        byte[] second = pattern(40 * 1024, 4);

        out.write(first, 0, first.length);
        out.write(second, 0, second.length);
        out.flush();

        assertThat(sink.writes).containsExactly(40 * 1024, 40 * 1024);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(first);
        expected.write(second);
        assertThat(sink.toByteArray()).isEqualTo(expected.toByteArray());
    }
}
