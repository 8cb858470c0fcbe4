package dev.rpcparallel.transport.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streams of a real Unix domain socket: an interrupt wakes no wait into closing the connection. */
class ChannelStreamsInterruptTest {
    private static final int WRITE = 4 * 1024 * 1024;
    private static final int WRITES = 12;

    @TempDir
    Path directory;

    private UnixStreamPair pair;
    private SocketChannel near;
    private StreamConnection connection;
    private StreamConnection peer;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void connect() throws IOException {
        pair = new UnixStreamPair(directory);
        near = pair.nearChannel();
        connection = pair.near();
        peer = pair.far();
    }

    @AfterEach
    void close() throws IOException {
        threads.shutdownNow();
        pair.close();
    }

    @Test
    void aWriterInterruptedAgainAndAgainWritesEveryByteAndKeepsItsInterrupt() throws Exception {
        AtomicReference<Thread> writer = new AtomicReference<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        Future<Integer> writes = threads.submit(() -> {
            writer.set(Thread.currentThread());
            OutputStream out = connection.output();
            int keptInterrupts = 0;
            for (int i = 0; i < WRITES; i++) {
                byte[] bytes = new byte[WRITE];
                java.util.Arrays.fill(bytes, (byte) i);
                out.write(bytes, 0, bytes.length);
                if (Thread.interrupted()) {
                    keptInterrupts++;
                }
            }
            writing.set(false);
            return keptInterrupts;
        });
        Future<?> interrupter = threads.submit(() -> {
            while (writing.get()) {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(ThreadLocalRandom.current().nextInt(100, 1_000)));
                Thread target = writer.get();
                if (target != null && writing.get()) {
                    target.interrupt();
                }
            }
        });
        // A slow reader: the writer waits for room again and again, and is interrupted meanwhile.
        InputStream in = peer.input();
        byte[] chunk = new byte[32 * 1024];
        long read = 0;
        int reads = 0;
        long total = (long) WRITE * WRITES;
        while (read < total) {
            int n = in.read(chunk, 0, (int) Math.min(chunk.length, total - read));
            assertThat(n).as("bytes read after %d", read).isPositive();
            for (int k = 0; k < n; k++) {
                long at = read + k;
                if (chunk[k] != (byte) (at / WRITE)) {
                    throw new AssertionError("byte " + at + " is " + chunk[k] + ", not " + (at / WRITE));
                }
            }
            read += n;
            if (++reads % 16 == 0) {
                LockSupport.parkNanos(50_000);
            }
        }
        assertThat(writes.get(2, TimeUnit.MINUTES)).as("writes that kept the interrupt that came during them")
                .isPositive();
        interrupter.get(1, TimeUnit.MINUTES);
        assertThat(near.isOpen()).isTrue();
        connection.output().write(new byte[] {42}, 0, 1);
        assertThat(in.read()).isEqualTo(42);
    }

    @Test
    void aReaderInterruptedWhileItWaitsReadsOnAndKeepsItsInterrupt() throws Exception {
        AtomicReference<Thread> reader = new AtomicReference<>();
        CompletableFuture<Boolean> waiting = new CompletableFuture<>();
        Future<String> read = threads.submit(() -> {
            reader.set(Thread.currentThread());
            waiting.complete(true);
            int first = connection.input().read();
            return first + (Thread.interrupted() ? " interrupted" : " not interrupted");
        });
        waiting.get(1, TimeUnit.MINUTES);
        for (int i = 0; i < 20; i++) {
            reader.get().interrupt();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        assertThat(read).isNotDone();
        // The interrupt it keeps does not turn its wait into a spin: it still sleeps in the kernel.
        java.lang.management.ThreadMXBean threadsBean = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuBefore = threadsBean.getThreadCpuTime(reader.get().getId());
        long wallBefore = System.nanoTime();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
        long cpu = threadsBean.getThreadCpuTime(reader.get().getId()) - cpuBefore;
        long wall = System.nanoTime() - wallBefore;
        // A thread asleep in the kernel uses next to none; one that spins, even on a loaded machine,
        // gets its share of a CPU: several ms in 300.
        assertThat(cpu).as("CPU time of the waiting reader in %d ms, in ns", wall / 1_000_000)
                .isLessThan(TimeUnit.MILLISECONDS.toNanos(3));
        assertThat(read).isNotDone();
        peer.output().write(new byte[] {7}, 0, 1);
        assertThat(read.get(1, TimeUnit.MINUTES)).isEqualTo("7 interrupted");
        assertThat(near.isOpen()).isTrue();
    }

    @Test
    void closingEndsAWaitingReadAndAWaitingWrite() throws Exception {
        Future<Integer> read = threads.submit(() -> connection.input().read());
        // The peer reads nothing: the write fills the socket's buffers and waits for room.
        Future<?> write = threads.submit(() -> {
            connection.output().write(new byte[WRITE], 0, WRITE);
            return null;
        });
        assertThatThrownBy(() -> write.get(300, TimeUnit.MILLISECONDS))
                .isInstanceOf(java.util.concurrent.TimeoutException.class);
        connection.connection().close();
        assertThatThrownBy(() -> read.get(1, TimeUnit.MINUTES)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class);
        assertThatThrownBy(() -> write.get(1, TimeUnit.MINUTES)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class);
        // The peer sees the end of the stream.
        byte[] drain = new byte[64 * 1024];
        int n;
        do {
            n = peer.input().read(drain, 0, drain.length);
        } while (n > 0);
        assertThat(n).isEqualTo(-1);
    }
}
