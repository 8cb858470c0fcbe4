package dev.rpcparallel.transport.thrift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.FrameHandler;
import dev.rpcparallel.spi.transport.FrameKind;
import dev.rpcparallel.spi.transport.TransportConfig;
import dev.rpcparallel.spi.transport.TransportListener;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.api.Test;

/**
 * Rough throughput numbers over loopback; not part of the build (the name does not match
 * Surefire's patterns). Run with
 * {@code ./mvnw -B -pl transport-thrift -am verify -Dtest=ThriftTransportBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Drpcparallel.test.log.level=INFO}.
 */
class ThriftTransportBenchmark {

    private static final Logger LOG = LogManager.getLogger(ThriftTransportBenchmark.class);
    private static final int LIMIT = 128 * 1024 * 1024;

    @Test
    void smallFramesOneSender() throws Exception {
        for (int round = 0; round < 3; round++) {
            run("1 sender, 32-byte payloads", 1, 1_000_000, 32);
        }
    }

    @Test
    void smallFramesEightSenders() throws Exception {
        for (int round = 0; round < 3; round++) {
            run("8 senders, 32-byte payloads", 8, 250_000, 32);
        }
    }

    @Test
    void fourKibFramesOneSender() throws Exception {
        for (int round = 0; round < 3; round++) {
            run("1 sender, 4 KiB payloads", 1, 200_000, 4096);
        }
    }

    @Test
    void sixtyFourMibFrames() throws Exception {
        for (int round = 0; round < 3; round++) {
            run("1 sender, 64 MiB payloads", 1, 8, 64 * 1024 * 1024);
        }
    }

    private void run(String name, int senders, int perSender, int payloadSize) throws Exception {
        ThriftTransport transport = new ThriftTransport();
        TransportConfig config = new TransportConfig(LIMIT, Duration.ofSeconds(10));
        BlockingQueue<FrameChannel> accepted = new LinkedBlockingQueue<>();
        long total = (long) senders * perSender;
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong received = new AtomicLong();
        AtomicLong readerAllocated = new AtomicLong();
        try (TransportListener listener = transport.listen(dev.rpcparallel.spi.transport.ListenOptions.on("127.0.0.1"), config, accepted::add);
                FrameChannel client = transport.connect(listener.address(), config);
                FrameChannel server = accepted.poll(10, TimeUnit.SECONDS)) {
            server.start(new FrameHandler() {
                long start = -1;

                @Override
                public void onFrame(Frame frame) {
                    if (start < 0) {
                        start = allocatedBytes();
                    }
                    if (received.incrementAndGet() == total) {
                        readerAllocated.set(allocatedBytes() - start);
                        done.countDown();
                    }
                }

                @Override
                public void onClosed(Throwable cause) {}
            });
            byte[] payload = new byte[payloadSize];
            AtomicLong senderAllocated = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            long start = System.nanoTime();
            for (int s = 0; s < senders; s++) {
                Thread thread = new Thread(() -> {
                    long before = allocatedBytes();
                    try {
                        for (int i = 0; i < perSender; i++) {
                            client.send(new Frame(FrameKind.CALL, i, 1, payload));
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                    senderAllocated.addAndGet(allocatedBytes() - before);
                });
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(done.await(5, TimeUnit.MINUTES)).isTrue();
            double seconds = (System.nanoTime() - start) / 1e9;
            LOG.info(String.format(Locale.ROOT,
                    "%-28s %,10.0f frames/s %,9.1f MiB/s  sender allocates %,.0f B/frame, reader %,.0f B/frame",
                    name, total / seconds, total * (double) payloadSize / seconds / (1024 * 1024),
                    senderAllocated.get() / (double) total, readerAllocated.get() / (double) (total - 1)));
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
