package dev.rpcparallel.transport.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The buffered output of a {@link StreamFrameChannel}: frames are written into one buffer, which
 * goes to the connection in one write when the channel flushes (or when it is full); a write at
 * least as large as the buffer's maximum goes straight from the caller's array (a large payload
 * is never copied).
 *
 * <p>The buffer starts small ({@link #INITIAL_BUFFER}): a connection that carries a few small
 * frames (an idle worker's heartbeats) never needs more. A write that does not fit in what is
 * left grows it (doubling, or to what the write needs, up to its maximum; what it holds is
 * copied over), so that frames written unflushed (answers batched until the reading thread
 * has nothing more to read) still leave in one system call, as with a buffer of the maximum
 * size from the start. Used under the channel's write lock only.
 */
final class FrameOutput extends OutputStream {

    /** The buffer's size when the stream opens. */
    static final int INITIAL_BUFFER = 8 * 1024;

    private final OutputStream sink;
    private final int maxBuffer;
    private byte[] buffer;
    private int count;

    /** @param maxBuffer the largest the buffer grows to, in bytes */
    FrameOutput(OutputStream sink, int maxBuffer) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.maxBuffer = maxBuffer;
        this.buffer = new byte[Math.min(INITIAL_BUFFER, maxBuffer)];
    }

    /** The buffer's present size, in bytes. */
    int bufferSize() {
        return buffer.length;
    }

    @Override
    public void write(int b) throws IOException {
        if (count == buffer.length) {
            makeRoom(1);
        }
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length >= maxBuffer) {
            // Straight from the caller's array, after what is buffered: no copy of a large payload.
            writeBuffered();
            sink.write(bytes, offset, length);
            return;
        }
        if (length > buffer.length - count) {
            makeRoom(length);
        }
        System.arraycopy(bytes, offset, buffer, count, length);
        count += length;
    }

    /** Makes room for {@code length} more bytes (less than the maximum): grows the buffer if it can, else empties it. */
    private void makeRoom(int length) throws IOException {
        int needed = count + length;
        if (needed <= maxBuffer) {
            byte[] larger = new byte[Math.min(maxBuffer, Math.max(needed, 2 * buffer.length))];
            System.arraycopy(buffer, 0, larger, 0, count);
            buffer = larger;
        } else {
            writeBuffered();
            if (length > buffer.length) {
                buffer = new byte[Math.min(maxBuffer, Math.max(length, 2 * buffer.length))];
            }
        }
    }

    private void writeBuffered() throws IOException {
        if (count > 0) {
            // Reset first: after a failed write the channel is closed and nothing is written again.
            int n = count;
            count = 0;
            sink.write(buffer, 0, n);
        }
    }

    @Override
    public void flush() throws IOException {
        writeBuffered();
        sink.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            sink.close();
        }
    }
}
