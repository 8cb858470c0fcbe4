package dev.rpcparallel.transport.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class FrameInputTest {

    private static final int BUFFER = 64 * 1024;

    /**
     * A source that hands out at most {@code perRead} bytes a read (as a socket does) and counts
     * the bytes it wrote into the reader's own array rather than into the stream's buffer.
     */
    private static final class Source extends InputStream {
        private final byte[] data;
        private final int perRead;
        private int position;
        byte[] target;
        long intoTarget;
        long reads;

        Source(byte[] data, int perRead) {
            this.data = data;
            this.perRead = perRead;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] bytes, int offset, int length) {
            if (position == data.length) {
                return -1;
            }
            int n = Math.min(Math.min(length, perRead), data.length - position);
            System.arraycopy(data, position, bytes, offset, n);
            position += n;
            reads++;
            if (bytes == target) {
                intoTarget += n;
            }
            return n;
        }
    }

    /** Two frames: a 4-byte length, then the body; each body a pattern of its size. */
    private static byte[] frames(int... sizes) {
        int total = 0;
        for (int size : sizes) {
            total += 4 + size;
        }
        ByteBuffer out = ByteBuffer.allocate(total);
        for (int size : sizes) {
            out.putInt(size);
            for (int i = 0; i < size; i++) {
                out.put((byte) (i * 31 + size));
            }
        }
        return out.array();
    }

    private static byte[] readFrame(InputStream in, Source source) throws IOException {
        byte[] header = new byte[4];
        readFully(in, header);
        byte[] body = new byte[ByteBuffer.wrap(header).getInt()];
        source.target = body;
        readFully(in, body);
        return body;
    }

    private static void readFully(InputStream in, byte[] into) throws IOException {
        int got = 0;
        while (got < into.length) {
            int n = in.read(into, got, into.length - got);
            assertThat(n).isPositive();
            got += n;
        }
    }

    @Test
    void aLargeFrameIsReadStraightIntoItsArrayButForWhatTheFirstReadBuffered() throws IOException {
        int size = 256 * 1024 + 10;
        byte[] data = frames(size, 20);
        Source source = new Source(data, 80 * 1024);
        FrameInput in = new FrameInput(source, BUFFER);

        byte[] body = readFrame(in, source);

        // The header's read filled the buffer (its initial size, part of the body); every other
        // byte of the body came straight from the source, its last 32 KiB included.
        assertThat(source.intoTarget).isEqualTo(size - (FrameInput.INITIAL_BUFFER - 4));
        assertThat(body).isEqualTo(java.util.Arrays.copyOfRange(data, 4, 4 + size));
        // The next frame, small, still comes through the buffer and is intact.
        byte[] next = readFrame(in, source);
        assertThat(next).isEqualTo(java.util.Arrays.copyOfRange(data, 8 + size, data.length));
        assertThat(in.read(new byte[1], 0, 1)).isEqualTo(-1);
    }

    @Test
    void smallFramesShareOneRead() throws IOException {
        byte[] data = frames(100, 200, 300, 400);
        Source source = new Source(data, Integer.MAX_VALUE);
        FrameInput in = new FrameInput(source, BUFFER);

        for (int size : new int[] {100, 200, 300, 400}) {
            assertThat(readFrame(in, source)).hasSize(size);
        }

        assertThat(source.reads).isEqualTo(1);
        assertThat(source.intoTarget).isZero();
    }

    @Test
    void theBufferStartsSmallAndDoublesOnlyWhenAReadFillsItWhole() throws IOException {
        int[] sizes = new int[400];
        java.util.Arrays.fill(sizes, 500);
        byte[] data = frames(sizes);
        Source source = new Source(data, Integer.MAX_VALUE);
        FrameInput in = new FrameInput(source, BUFFER);
        assertThat(in.bufferSize()).isEqualTo(FrameInput.INITIAL_BUFFER);

        for (int size : sizes) {
            assertThat(readFrame(in, source)).isEqualTo(java.util.Arrays.copyOfRange(data, 4, 4 + size));
        }

        // 8, 16, 32 KiB filled whole, then 64 KiB (the maximum) for the rest: 200 KB in 6 reads.
        assertThat(in.bufferSize()).isEqualTo(BUFFER);
        assertThat(source.reads).isEqualTo(6);
        assertThat(in.read(new byte[1], 0, 1)).isEqualTo(-1);
    }

    @Test
    void aBufferThatIsNeverFilledWholeStaysAtItsInitialSize() throws IOException {
        int[] sizes = new int[100];
        java.util.Arrays.fill(sizes, 1000);
        byte[] data = frames(sizes);
        // A peer that sends one frame at a time: each read finds less than the buffer holds.
        Source source = new Source(data, 1004);
        FrameInput in = new FrameInput(source, BUFFER);

        for (int size : sizes) {
            assertThat(readFrame(in, source)).hasSize(size);
        }

        assertThat(in.bufferSize()).isEqualTo(FrameInput.INITIAL_BUFFER);
    }

    @Test
    void aReadAfterCloseFailsWithTheStreamsMessage() throws IOException {
        FrameInput in = new FrameInput(new Source(frames(10), 10), BUFFER);
        in.close();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> in.read(new byte[32 * 1024], 0, 32 * 1024))
                .isInstanceOf(IOException.class).hasMessage("Stream closed");
    }
}
