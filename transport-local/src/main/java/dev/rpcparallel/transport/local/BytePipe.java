package dev.rpcparallel.transport.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One direction of an in-JVM connection: a ring buffer of a fixed number of bytes between a
 * writing and a reading thread. A writer waits while it is full, so a reader that does not read
 * holds back the writer after {@code capacity} bytes: the pipe's memory is bounded.
 *
 * <p>As a socket's streams, waits are not interrupted (a cancelled call's thread that writes an
 * answer is not cut off in the middle of a frame); closing either end wakes both. Once the
 * writing end is closed the reader reads what is left, then the end of the stream; once the
 * reading end is closed, reads and writes fail and what was left is dropped.
 */
final class BytePipe {
    private final String name;
    private final byte[] ring;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** The next byte to read. */
    private int head;
    private int size;
    private boolean writerClosed;
    private boolean readerClosed;

    /** @param name what the pipe carries, for error messages */
    BytePipe(String name, int capacity) {
        this.name = name;
        this.ring = new byte[capacity];
    }

    InputStream input() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                return BytePipe.this.read(bytes, offset, length);
            }

            @Override
            public int available() {
                return BytePipe.this.available();
            }

            @Override
            public void close() {
                closeReader();
            }
        };
    }

    OutputStream output() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                BytePipe.this.write(bytes, offset, length);
            }

            @Override
            public void close() {
                closeWriter();
            }
        };
    }

    int read(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (size == 0 && !writerClosed && !readerClosed) {
                changed.awaitUninterruptibly();
            }
            if (readerClosed) {
                throw new IOException(name + " is closed");
            }
            if (size == 0) {
                return -1;
            }
            int n = Math.min(length, size);
            int first = Math.min(n, ring.length - head);
            System.arraycopy(ring, head, bytes, offset, first);
            System.arraycopy(ring, 0, bytes, offset + first, n - first);
            head = (head + n) % ring.length;
            size -= n;
            changed.signalAll();
            return n;
        } finally {
            lock.unlock();
        }
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        lock.lock();
        try {
            while (length > 0) {
                while (size == ring.length && !writerClosed && !readerClosed) {
                    changed.awaitUninterruptibly();
                }
                if (writerClosed) {
                    throw new IOException(name + " is closed");
                }
                if (readerClosed) {
                    throw new IOException(name + " was closed by the peer");
                }
                int tail = (head + size) % ring.length;
                int n = Math.min(length, ring.length - size);
                int first = Math.min(n, ring.length - tail);
                System.arraycopy(bytes, offset, ring, tail, first);
                System.arraycopy(bytes, offset + first, ring, 0, n - first);
                size += n;
                offset += n;
                length -= n;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    int available() {
        lock.lock();
        try {
            return readerClosed ? 0 : size;
        } finally {
            lock.unlock();
        }
    }

    void closeWriter() {
        lock.lock();
        try {
            writerClosed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void closeReader() {
        lock.lock();
        try {
            readerClosed = true;
            size = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
