package dev.rpcparallel.transport.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streams of a real Unix domain socket read and write through direct buffers of the channel's
 * own: a thread's first read or write allocates none (the JDK's per-thread cache would, on a path
 * the JIT compiles as a trap when only one thread ever used it), and bytes pass whole through
 * slices of every size.
 */
class ChannelStreamsBuffersTest {
    private static final int THREADS = 16;
    private static final int MESSAGE = 1_000;

    @TempDir
    Path directory;

    private UnixStreamPair pair;
    private StreamConnection near;
    private StreamConnection far;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void connect() throws IOException {
        pair = new UnixStreamPair(directory);
        near = pair.near();
        far = pair.far();
    }

    @AfterEach
    void close() throws IOException {
        threads.shutdownNow();
        pair.close();
    }

    @Test
    void newWritingThreadsAllocateNoDirectBuffer() throws Exception {
        // The channel's buffers are made by the first write and read.
        near.output().write(message(0), 0, MESSAGE);
        readMessage(0);
        long before = directBuffers();

        CountDownLatch done = new CountDownLatch(1);
        List<Future<?>> writers = new ArrayList<>();
        for (int i = 1; i <= THREADS; i++) {
            int n = i;
            CountDownLatch wrote = new CountDownLatch(1);
            // Each writer stays alive until counted: a thread's cached buffer is freed when it ends.
            writers.add(threads.submit(() -> {
                near.output().write(message(n), 0, MESSAGE);
                wrote.countDown();
                done.await();
                return null;
            }));
            assertThat(wrote.await(30, TimeUnit.SECONDS)).isTrue();
            readMessage(n);
        }
        long after = directBuffers();
        done.countDown();
        for (Future<?> writer : writers) {
            writer.get(30, TimeUnit.SECONDS);
        }
        assertThat(after - before).as("direct buffers allocated by %d new writing threads", THREADS)
                .isLessThan(THREADS / 2);
    }

    @Test
    void newReadingThreadsAllocateNoDirectBuffer() throws Exception {
        near.output().write(message(0), 0, MESSAGE);
        readMessage(0);
        long before = directBuffers();

        CountDownLatch done = new CountDownLatch(1);
        List<Future<?>> readers = new ArrayList<>();
        for (int i = 1; i <= THREADS; i++) {
            int n = i;
            near.output().write(message(n), 0, MESSAGE);
            CountDownLatch read = new CountDownLatch(1);
            // One reading thread after another, as a connection's reading is handed over.
            readers.add(threads.submit(() -> {
                readMessage(n);
                read.countDown();
                done.await();
                return null;
            }));
            assertThat(read.await(30, TimeUnit.SECONDS)).isTrue();
        }
        long after = directBuffers();
        done.countDown();
        for (Future<?> reader : readers) {
            reader.get(30, TimeUnit.SECONDS);
        }
        assertThat(after - before).as("direct buffers allocated by %d new reading threads", THREADS)
                .isLessThan(THREADS / 2);
    }

    @Test
    void bytesPassWholeThroughWritesAndReadsOfEverySize() throws Exception {
        // Sizes across the buffers' growth and past one slice (a write the socket takes in parts).
        int[] sizes = {1, 1023, 1024, 1025, 65_536, 70_000, SelectingChannel.MAX_SLICE, SelectingChannel.MAX_SLICE + 1,
            3 * SelectingChannel.MAX_SLICE + 17, 7};
        int total = Arrays.stream(sizes).sum();
        Future<?> writes = threads.submit(() -> {
            int at = 0;
            for (int size : sizes) {
                byte[] bytes = new byte[size];
                for (int k = 0; k < size; k++) {
                    bytes[k] = (byte) ((at + k) * 31);
                }
                near.output().write(bytes, 0, size);
                at += size;
            }
            return null;
        });
        byte[] chunk = new byte[100_000];
        int read = 0;
        while (read < total) {
            int n = far.input().read(chunk, 0, Math.min(chunk.length, total - read));
            assertThat(n).as("bytes read after %d", read).isPositive();
            for (int k = 0; k < n; k++) {
                if (chunk[k] != (byte) ((read + k) * 31)) {
                    throw new AssertionError("byte " + (read + k) + " is " + chunk[k]);
                }
            }
            read += n;
        }
        writes.get(30, TimeUnit.SECONDS);
        assertThat(read).isEqualTo(total);
    }

    private static byte[] message(int n) {
        byte[] bytes = new byte[MESSAGE];
        Arrays.fill(bytes, (byte) n);
        return bytes;
    }

    private void readMessage(int n) throws IOException {
        byte[] bytes = new byte[MESSAGE];
        int read = 0;
        while (read < MESSAGE) {
            int got = far.input().read(bytes, read, MESSAGE - read);
            assertThat(got).isPositive();
            read += got;
        }
        assertThat(bytes).containsOnly((byte) n);
    }

    private static long directBuffers() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getCount();
            }
        }
        throw new AssertionError("no 'direct' buffer pool");
    }
}
