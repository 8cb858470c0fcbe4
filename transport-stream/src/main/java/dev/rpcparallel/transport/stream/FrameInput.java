package dev.rpcparallel.transport.stream;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The buffered input of a {@link StreamFrameChannel}: small reads (frame headers, small frames)
 * come from one buffer filled a system call at a time, and a large read is never copied through
 * that buffer: it takes what the buffer already holds, then reads the rest straight into the
 * caller's array (a large frame's own array).
 *
 * <p>The buffer starts small ({@link #INITIAL_BUFFER}): a connection that carries a few small
 * frames (an idle worker's heartbeats) never needs more. It doubles, up to its maximum, when a
 * fill finds it too small: a read from the source filled it whole, so more may have been waiting
 * (many frames in flight). It grows when it is empty, so nothing is copied.
 *
 * <p>{@link java.io.BufferedInputStream} reads straight into the caller's array only for a read at
 * least as large as its buffer, and only while its source reports bytes {@link #available()}: a
 * channel's streams report at most one ({@link ChannelStreams}), and the last part of every large frame
 * is smaller than the buffer, so up to a buffer's worth of each large frame would go through the
 * buffer: one more copy of that part. Used by the channel's one reading thread at a time.
 *
 * <p>{@link #buffered()} says whether a frame may be read without a system call; unlike
 * {@link #available()} it never asks the source (a socket's stream asks the kernel, one
 * {@code ioctl} per call).
 */
final class FrameInput extends InputStream {

    /** The buffer's size when the stream opens. */
    static final int INITIAL_BUFFER = 8 * 1024;

    /** A read at least this large, with nothing buffered, goes straight into the caller's array. */
    static final int DIRECT_READ = 16 * 1024;

    private final InputStream source;
    private final int maxBuffer;
    private byte[] buffer;
    private int position;
    private int count;
    /** Whether the last fill filled the buffer whole: the next fill doubles it first. */
    private boolean filledWhole;
    /** How a fill starts to wait for the source: watching it first, or not. */
    private final ReadingWatch watch;
    /** Set by {@link #close()}, which may come from any thread while a read waits (it holds no lock). */
    private volatile boolean closed;

    /**
     * Watches a channel's input before a fill waits ({@link ChannelStreams}: the unix transport's),
     * no other source. A socket's stream (the TCP transport's) could be watched too, through the
     * kernel's count of its bytes, and its lone round trips gained as much, but its pipelined
     * calls lost about 40% of their rate: a watch reads each segment as it comes, one frame at a
     * time, where a thread woken later reads many at once and answers them with one write
     * (BENCHMARKS.md, <i>A reading thread watches before it sleeps</i>).
     *
     * @param maxBuffer the largest the buffer grows to, in bytes
     */
    FrameInput(InputStream source, int maxBuffer) {
        this(source, maxBuffer,
                source instanceof ChannelStreams.ChannelInput ? new ReadingWatch() : new ReadingWatch(0));
    }

    FrameInput(InputStream source, int maxBuffer, ReadingWatch watch) {
        this.source = Objects.requireNonNull(source, "source");
        this.watch = Objects.requireNonNull(watch, "watch");
        this.maxBuffer = maxBuffer;
        this.buffer = new byte[Math.min(INITIAL_BUFFER, maxBuffer)];
    }

    /** The bytes read from the source and not yet consumed: what can be read without a system call. */
    synchronized int buffered() {
        return count - position;
    }

    /** How its fills start to wait, for tests. */
    ReadingWatch watch() {
        return watch;
    }

    /** The buffer's present size, in bytes. */
    synchronized int bufferSize() {
        return buffer.length;
    }

    @Override
    public synchronized int read() throws IOException {
        open();
        if (position == count && fill() < 0) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    /**
     * Reads at most {@code length} bytes: the buffered ones if there are any (no system call),
     * else straight from the source if {@code length} is at least {@link #DIRECT_READ} or the
     * buffer's size, else through the buffer.
     */
    @Override
    public synchronized int read(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        open();
        if (length == 0) {
            return 0;
        }
        int buffered = count - position;
        if (buffered == 0) {
            if (length >= DIRECT_READ || length >= buffer.length) {
                return source.read(bytes, offset, length);
            }
            buffered = fill();
            if (buffered < 0) {
                return -1;
            }
        }
        int n = Math.min(buffered, length);
        System.arraycopy(buffer, position, bytes, offset, n);
        position += n;
        return n;
    }

    /**
     * Refills the empty buffer with one read of the source, first doubling it if the last fill
     * filled it whole; the read may first watch the source for its next bytes ({@link ReadingWatch}).
     */
    private int fill() throws IOException {
        if (filledWhole && buffer.length < maxBuffer) {
            buffer = new byte[Math.min(maxBuffer, 2 * buffer.length)];
        }
        position = 0;
        count = 0;
        long waitStarted = watch.begin(source);
        int n;
        do {
            n = source.read(buffer, 0, buffer.length);
        } while (n == 0);
        watch.end(waitStarted);
        if (n > 0) {
            count = n;
        }
        filledWhole = n == buffer.length;
        return n;
    }

    private void open() throws IOException {
        if (closed) {
            throw new IOException("Stream closed");
        }
    }

    @Override
    public synchronized int available() throws IOException {
        open();
        int buffered = count - position;
        int waiting = source.available();
        return buffered > Integer.MAX_VALUE - waiting ? Integer.MAX_VALUE : buffered + waiting;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        source.close();
    }
}
