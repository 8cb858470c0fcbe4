package dev.rpcparallel.transport.stream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The buffered input of a {@link StreamFrameChannel}: small reads (frame headers, small frames)
 * come from one buffer filled a system call at a time, and a large read is never copied through
 * that buffer: it takes what the buffer already holds, then reads the rest straight into the
 * caller's array (a large frame's own array).
 *
 * <p>{@link BufferedInputStream} alone reads straight into the caller's array only for a read at
 * least as large as its buffer, and only while its source reports bytes {@link #available()}: a
 * channel's streams report none ({@link ChannelStreams}), and the last part of every large frame
 * is smaller than the buffer, so up to a buffer's worth of each large frame went through the
 * buffer: one more copy of that part. Used by the channel's one reading thread.
 *
 * <p>{@link #buffered()} says whether a frame may be read without a system call; unlike
 * {@link #available()} it never asks the source (a socket's stream asks the kernel, one
 * {@code ioctl} per call).
 */
final class FrameInput extends BufferedInputStream {

    /** A read at least this large, with nothing buffered, goes straight into the caller's array. */
    static final int DIRECT_READ = 16 * 1024;

    FrameInput(InputStream source, int bufferSize) {
        super(source, bufferSize);
    }

    /** The bytes read from the source and not yet consumed: what can be read without a system call. */
    synchronized int buffered() {
        return count - pos;
    }

    /**
     * Reads at most {@code length} bytes: the buffered ones if there are any (no system call),
     * else straight from the source if {@code length} is at least {@link #DIRECT_READ}, else
     * through the buffer.
     */
    @Override
    public synchronized int read(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        byte[] buffer = buf;
        InputStream source = in;
        if (buffer == null || source == null) {
            throw new IOException("Stream closed");
        }
        if (length == 0) {
            return 0;
        }
        int buffered = count - pos;
        if (buffered > 0) {
            int n = Math.min(buffered, length);
            System.arraycopy(buffer, pos, bytes, offset, n);
            pos += n;
            return n;
        }
        if (length >= DIRECT_READ && markpos < 0) {
            return source.read(bytes, offset, length);
        }
        return super.read(bytes, offset, length);
    }
}
