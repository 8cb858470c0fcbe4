package dev.rpcparallel.transport.thrift.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.spi.transport.ChannelAcceptor;
import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.FrameHandler;
import dev.rpcparallel.spi.transport.FrameKind;
import dev.rpcparallel.spi.transport.Transport;
import dev.rpcparallel.spi.transport.TransportConfig;
import dev.rpcparallel.spi.transport.TransportListener;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link Transport} must do. A transport's test extends this class and returns the
 * transport from {@link #transport()}; every test here runs over loopback TCP.
 *
 * <p>The garbage tests write raw bytes to the listener with a {@link Socket}, so they assume the
 * transport's addresses are {@code SCHEME://HOST:PORT} over TCP.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
public abstract class TransportComplianceTest {

    /** The frame size limit of most tests. */
    protected static final int LIMIT = 1024 * 1024;
    protected static final Duration WAIT = Duration.ofSeconds(30);
    protected static final String LOOPBACK = "127.0.0.1";

    /** Closed after each test, last first; channels are added by the accept threads too. */
    private final List<AutoCloseable> resources = java.util.Collections.synchronizedList(new ArrayList<>());

    /** The transport under test. */
    protected abstract Transport transport();

    protected TransportConfig config(int maxFrameSize) {
        return new TransportConfig(maxFrameSize, Duration.ofSeconds(10));
    }

    @BeforeEach
    void awaitilityDefaults() {
        // Poll often: most conditions here are met within milliseconds.
        org.awaitility.Awaitility.setDefaultPollInterval(Duration.ofMillis(5));
        org.awaitility.Awaitility.setDefaultTimeout(WAIT);
    }

    @AfterEach
    void closeResources() throws Exception {
        List<AutoCloseable> toClose;
        synchronized (resources) {
            toClose = new ArrayList<>(resources);
            resources.clear();
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        org.awaitility.Awaitility.reset();
    }

    // ------------------------------------------------------------------ tests

    @Test
    void framesMakeTheRoundTripBothWays() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));

        byte[] argument = bytes(1000, 1);
        pair.client.send(new Frame(FrameKind.CALL, 42, 7, argument));
        Frame call = pair.serverHandler.next();
        assertFrame(call, FrameKind.CALL, 42, 7, argument);

        byte[] result = bytes(3000, 2);
        pair.server.send(new Frame(FrameKind.RESULT, 42, 0, result));
        assertFrame(pair.clientHandler.next(), FrameKind.RESULT, 42, 0, result);

        // Every kind, empty payloads, and the extremes of the ids.
        long[] callIds = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40};
        int[] functionIds = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 300};
        for (FrameKind kind : FrameKind.values()) {
            for (int i = 0; i < callIds.length; i++) {
                byte[] payload = i % 2 == 0 ? Frame.noPayload() : bytes(i * 17, i);
                pair.client.send(new Frame(kind, callIds[i], functionIds[i], payload));
                pair.server.send(new Frame(kind, callIds[i], functionIds[i], payload));
                assertFrame(pair.serverHandler.next(), kind, callIds[i], functionIds[i], payload);
                assertFrame(pair.clientHandler.next(), kind, callIds[i], functionIds[i], payload);
            }
        }
        assertThat(pair.serverHandler.closedCalls()).isZero();
        assertThat(pair.clientHandler.closedCalls()).isZero();
    }

    @Test
    void tenThousandFramesArriveInOrder() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        int count = 10_000;
        for (int i = 0; i < count; i++) {
            pair.client.send(new Frame(FrameKind.CALL, i, i % 13, ByteBuffer.allocate(4).putInt(i).array()));
        }
        for (int i = 0; i < count; i++) {
            Frame frame = pair.serverHandler.next();
            assertThat(frame.callId()).isEqualTo(i);
            assertThat(frame.functionId()).isEqualTo(i % 13);
            assertThat(ByteBuffer.wrap(frame.payload()).getInt()).isEqualTo(i);
        }
    }

    @Test
    void concurrentSendersEachFrameArrivesWhole() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        int threads = 8;
        int perThread = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier go = new CyclicBarrier(threads);
            List<Future<?>> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                senders.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        long callId = ((long) thread << 32) | i;
                        pair.client.send(new Frame(FrameKind.CALL, callId, thread, patterned(callId)));
                    }
                    return null;
                }));
            }
            int[] nextSeq = new int[threads];
            for (int n = 0; n < threads * perThread; n++) {
                Frame frame = pair.serverHandler.next();
                int thread = (int) (frame.callId() >>> 32);
                int seq = (int) frame.callId();
                assertThat(frame.functionId()).isEqualTo(thread);
                assertThat(seq).as("frames of sender %d in order", thread).isEqualTo(nextSeq[thread]++);
                assertThat(frame.payload()).isEqualTo(patterned(frame.callId()));
            }
            for (Future<?> sender : senders) {
                sender.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            assertThat(nextSeq).containsOnly(perThread);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sixtyFourMebibytePayload() throws Exception {
        int size = 64 * 1024 * 1024;
        TransportConfig config = config(size + 1024);
        Pair pair = connectedPair(config, config);
        byte[] payload = bytes(size, 64);
        pair.client.send(new Frame(FrameKind.CALL, 1, 2, payload));
        Frame received = pair.serverHandler.next();
        assertThat(received.payload().length).isEqualTo(size);
        assertThat(Arrays.equals(received.payload(), payload)).as("payload intact").isTrue();

        pair.server.send(new Frame(FrameKind.RESULT, 1, 0, received.payload()));
        Frame back = pair.clientHandler.next();
        assertThat(Arrays.equals(back.payload(), payload)).as("payload intact").isTrue();
    }

    @Test
    void oversizeFrameReceivedClosesTheChannelNamingTheLimit() throws Exception {
        int serverLimit = 4096;
        Pair pair = connectedPair(config(serverLimit), config(LIMIT));
        pair.client.send(new Frame(FrameKind.CALL, 1, 1, bytes(100, 1)));
        assertThat(pair.serverHandler.next().callId()).isEqualTo(1);

        sendRacingTheClose(pair.client, new Frame(FrameKind.CALL, 2, 1, bytes(2 * serverLimit, 2)));

        Throwable cause = pair.serverHandler.awaitClosed();
        assertThat(cause).isInstanceOf(IOException.class).isNotInstanceOf(EOFException.class);
        assertThat(cause.getMessage()).contains(String.valueOf(serverLimit));
        assertThat(pair.serverHandler.framesLeft()).isZero();
        assertThat(pair.serverHandler.closedCalls()).isEqualTo(1);
        // The peer sees the connection go.
        pair.clientHandler.awaitClosed();
    }

    @Test
    void oversizeFrameSentIsRefusedAndTheChannelStaysUsable() throws Exception {
        int clientLimit = 4096;
        Pair pair = connectedPair(config(LIMIT), config(clientLimit));
        Frame tooBig = new Frame(FrameKind.CALL, 1, 1, bytes(clientLimit + 1, 1));
        assertThatThrownBy(() -> pair.client.send(tooBig))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(clientLimit));

        pair.client.send(new Frame(FrameKind.CALL, 2, 1, bytes(100, 2)));
        assertThat(pair.serverHandler.next().callId()).isEqualTo(2);
        assertThat(pair.clientHandler.closedCalls()).isZero();
    }

    @Test
    void setMaxFrameSizeRaisesTheLimitWhileReading() throws Exception {
        int small = 4096;
        Pair pair = connectedPair(config(small), config(small));
        Frame big = new Frame(FrameKind.CALL, 1, 1, bytes(100_000, 3));

        assertThatThrownBy(() -> pair.client.send(big)).isInstanceOf(IllegalArgumentException.class);
        pair.client.setMaxFrameSize(LIMIT);
        // The server's reader is already waiting for the next frame: the new limit must apply to it.
        pair.server.setMaxFrameSize(LIMIT);
        pair.client.send(big);
        assertFrame(pair.serverHandler.next(), FrameKind.CALL, 1, 1, big.payload());
    }

    @Test
    void setMaxFrameSizeLowersTheLimit() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        pair.client.send(new Frame(FrameKind.CALL, 1, 1, bytes(100_000, 4)));
        assertThat(pair.serverHandler.next().callId()).isEqualTo(1);

        pair.server.setMaxFrameSize(4096);
        sendRacingTheClose(pair.client, new Frame(FrameKind.CALL, 2, 1, bytes(100_000, 4)));
        Throwable cause = pair.serverHandler.awaitClosed();
        assertThat(cause).isInstanceOf(IOException.class).hasMessageContaining("4096");
    }

    @Test
    void peerCloseIsAnEndOfFile() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        pair.client.send(new Frame(FrameKind.HELLO, 0, 0, bytes(10, 1)));
        pair.serverHandler.next();

        pair.client.close();

        assertThat(pair.serverHandler.awaitClosed()).isInstanceOf(EOFException.class);
        assertThat(pair.clientHandler.awaitClosed()).isNull();
        assertThatThrownBy(() -> pair.server.send(new Frame(FrameKind.ERROR, 0, 0, bytes(10, 1))))
                .isInstanceOf(IOException.class);
        expectClosedOnce(pair.serverHandler);
        expectClosedOnce(pair.clientHandler);
    }

    @Test
    void closeReportsNullExactlyOnceAndIsIdempotent() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads * 2);
        try {
            for (int i = 0; i < threads; i++) {
                // Both ends at once, from many threads: each handler hears of it once.
                pool.execute(() -> awaitThen(go, pair.client::close));
                pool.execute(() -> awaitThen(go, pair.server::close));
            }
            go.countDown();
            pair.clientHandler.awaitClosed();
            pair.serverHandler.awaitClosed();
        } finally {
            pool.shutdownNow();
        }
        expectClosedOnce(pair.clientHandler);
        expectClosedOnce(pair.serverHandler);
        pair.client.close();
        assertThatThrownBy(() -> pair.client.send(new Frame(FrameKind.CALL, 1, 1, bytes(1, 1))))
                .isInstanceOf(IOException.class);
    }

    @Test
    void closeWhileTheHandlerIsBusyReportsNullAfterTheFrame() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        pair.serverHandler.onEachFrame = frame -> {
            inHandler.countDown();
            awaitThen(release, () -> {});
        };
        pair.client.send(new Frame(FrameKind.CALL, 1, 1, bytes(10, 1)));
        assertThat(inHandler.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        pair.server.close();
        assertThat(pair.serverHandler.closedCalls()).as("not while a frame is being handled").isZero();
        release.countDown();

        assertThat(pair.serverHandler.awaitClosed()).isNull();
        expectClosedOnce(pair.serverHandler);
    }

    @Test
    void closeBeforeStartReportsOnStart() throws Exception {
        BlockingQueue<FrameChannel> accepted = new LinkedBlockingQueue<>();
        TransportListener listener = listen(config(LIMIT), accepted::add);
        FrameChannel client = track(transport().connect(listener.address(), config(LIMIT)));
        client.close();
        RecordingHandler handler = new RecordingHandler();
        client.start(handler);
        assertThat(handler.awaitClosed()).isNull();
        expectClosedOnce(handler);
    }

    @Test
    void closingTheListenerStopsAcceptingButKeepsItsChannels() throws Exception {
        BlockingQueue<FrameChannel> accepted = new LinkedBlockingQueue<>();
        TransportListener listener = listen(config(LIMIT), accepted::add);
        Pair pair = connect(listener, accepted, config(LIMIT));

        listener.close();
        listener.close();

        assertThatThrownBy(() -> track(transport().connect(listener.address(), config(LIMIT))))
                .isInstanceOf(IOException.class);
        pair.client.send(new Frame(FrameKind.CALL, 1, 1, bytes(10, 1)));
        assertThat(pair.serverHandler.next().callId()).isEqualTo(1);
        pair.server.send(new Frame(FrameKind.RESULT, 1, 0, bytes(10, 2)));
        assertThat(pair.clientHandler.next().callId()).isEqualTo(1);
    }

    @Test
    void connectingToAClosedPortFails() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        String address = transport().name() + "://" + LOOPBACK + ":" + port;
        assertThatThrownBy(() -> track(transport().connect(address, config(LIMIT))))
                .isInstanceOf(IOException.class);
    }

    @Test
    void connectGivesUpAfterTheConnectTimeout() throws Exception {
        // A listening socket that never accepts: once its queue is full, the kernel (Linux at
        // least) ignores further connection requests, so they hang until the client gives up.
        try (ServerSocket deaf = new ServerSocket(0, 1, java.net.InetAddress.getByName(LOOPBACK))) {
            List<Socket> fillers = new ArrayList<>();
            boolean full = false;
            try {
                for (int i = 0; i < 64 && !full; i++) {
                    Socket filler = new Socket();
                    fillers.add(filler);
                    try {
                        filler.connect(deaf.getLocalSocketAddress(), 200);
                    } catch (java.net.SocketTimeoutException e) {
                        full = true;
                    }
                }
                org.junit.jupiter.api.Assumptions.assumeTrue(full, "connections to a full backlog hang here");

                String address = transport().name() + "://" + LOOPBACK + ":" + deaf.getLocalPort();
                TransportConfig config = new TransportConfig(LIMIT, Duration.ofMillis(300));
                long start = System.nanoTime();
                assertThatThrownBy(() -> track(transport().connect(address, config))).isInstanceOf(IOException.class);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(250)).isLessThan(Duration.ofSeconds(5));
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    @Test
    void connectingToAnotherTransportsAddressIsRefused() {
        assertThatThrownBy(() -> transport().connect("nosuchscheme://" + LOOPBACK + ":1", config(LIMIT)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theListenerAddressHasTheSchemeAndTheRealPort() throws Exception {
        TransportListener listener = listen(config(LIMIT), channel -> {});
        String address = listener.address();
        assertThat(address).startsWith(transport().name() + "://");
        int port = port(address);
        assertThat(port).isBetween(1, 65535);
        try (Socket socket = new Socket(host(address), port)) {
            assertThat(socket.isConnected()).isTrue();
        }
    }

    @Test
    void aHugeFrameHeaderClosesThatChannelOnly() throws Exception {
        BlockingQueue<FrameChannel> accepted = new LinkedBlockingQueue<>();
        TransportListener listener = listen(config(LIMIT), accepted::add);

        try (Socket raw = new Socket(host(listener.address()), port(listener.address()))) {
            RecordingHandler handler = startNext(accepted);
            // A Thrift frame header claiming 2 GiB - 1, then a little of the promised frame.
            byte[] garbage = new byte[1004];
            ByteBuffer.wrap(garbage).putInt(Integer.MAX_VALUE).put(bytes(1000, 5));
            writeRefusable(raw, garbage);
            Throwable cause = handler.awaitClosed();
            assertThat(cause).isInstanceOf(IOException.class).hasMessageContaining(String.valueOf(LIMIT));
            assertThat(cause.getMessage()).contains(String.valueOf(Integer.MAX_VALUE));
        }
        assertListenerServes(listener, accepted);
    }

    @Test
    void randomBytesCloseThatChannelOnly() throws Exception {
        BlockingQueue<FrameChannel> accepted = new LinkedBlockingQueue<>();
        TransportListener listener = listen(config(LIMIT), accepted::add);
        Random random = new Random(20261123);
        for (int round = 0; round < 5; round++) {
            try (Socket raw = new Socket(host(listener.address()), port(listener.address()))) {
                RecordingHandler handler = startNext(accepted);
                byte[] garbage = new byte[1 + random.nextInt(64 * 1024)];
                random.nextBytes(garbage);
                writeRefusable(raw, garbage);
                // However the bytes were taken, the channel closes with an error when they end.
                shutdownOutput(raw);
                assertThat(handler.awaitClosed()).isInstanceOf(IOException.class);
                expectClosedOnce(handler);
            }
        }
        assertListenerServes(listener, accepted);
    }

    @Test
    void manyGarbageConnectionsAtOnceDoNotExhaustMemory() throws Exception {
        BlockingQueue<FrameChannel> accepted = new LinkedBlockingQueue<>();
        TransportListener listener = listen(config(LIMIT), accepted::add);
        List<RecordingHandler> handlers = new ArrayList<>();
        List<Socket> raws = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                Socket raw = new Socket(host(listener.address()), port(listener.address()));
                raws.add(raw);
                handlers.add(startNext(accepted));
                // Each claims a frame far over the limit: nothing may be allocated for it.
                writeRefusable(raw, new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xf0, 1, 2, 3});
            }
            for (RecordingHandler handler : handlers) {
                assertThat(handler.awaitClosed()).isInstanceOf(IOException.class);
            }
        } finally {
            for (Socket raw : raws) {
                raw.close();
            }
        }
        assertListenerServes(listener, accepted);
    }

    // ---------------------------------------------------------------- helpers

    /** A connected client and server channel, both started. */
    protected record Pair(
            TransportListener listener,
            FrameChannel client,
            RecordingHandler clientHandler,
            FrameChannel server,
            RecordingHandler serverHandler) {}

    protected Pair connectedPair(TransportConfig serverConfig, TransportConfig clientConfig) throws Exception {
        BlockingQueue<FrameChannel> accepted = new LinkedBlockingQueue<>();
        TransportListener listener = listen(serverConfig, accepted::add);
        return connect(listener, accepted, clientConfig);
    }

    protected Pair connect(TransportListener listener, BlockingQueue<FrameChannel> accepted, TransportConfig clientConfig)
            throws Exception {
        FrameChannel client = track(transport().connect(listener.address(), clientConfig));
        FrameChannel server = accepted.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(server).as("accepted channel").isNotNull();
        RecordingHandler clientHandler = new RecordingHandler();
        RecordingHandler serverHandler = new RecordingHandler();
        client.start(clientHandler);
        server.start(serverHandler);
        return new Pair(listener, client, clientHandler, server, serverHandler);
    }

    /** Listens on loopback; every channel accepted is closed after the test. */
    protected TransportListener listen(TransportConfig config, ChannelAcceptor acceptor) throws IOException {
        return track(transport().listen(LOOPBACK, 0, config, channel -> acceptor.accept(track(channel))));
    }

    protected <T extends AutoCloseable> T track(T resource) {
        if (resource != null) {
            resources.add(resource);
        }
        return resource;
    }

    protected RecordingHandler startNext(BlockingQueue<FrameChannel> accepted) throws InterruptedException {
        FrameChannel channel = accepted.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(channel).as("accepted channel").isNotNull();
        RecordingHandler handler = new RecordingHandler();
        channel.start(handler);
        return handler;
    }

    protected void assertListenerServes(TransportListener listener, BlockingQueue<FrameChannel> accepted)
            throws Exception {
        Pair pair = connect(listener, accepted, config(LIMIT));
        pair.client.send(new Frame(FrameKind.HELLO, 0, 0, bytes(100, 9)));
        assertFrame(pair.serverHandler.next(), FrameKind.HELLO, 0, 0, bytes(100, 9));
        pair.server.send(new Frame(FrameKind.CHALLENGE, 0, 0, bytes(100, 10)));
        assertFrame(pair.clientHandler.next(), FrameKind.CHALLENGE, 0, 0, bytes(100, 10));
    }

    /** The onClosed count stays at one: it was called, and is not called again. */
    protected static void expectClosedOnce(RecordingHandler handler) {
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> handler.closedCalls() == 1);
    }

    protected static void assertFrame(Frame frame, FrameKind kind, long callId, int functionId, byte[] payload) {
        assertThat(frame.kind()).isEqualTo(kind);
        assertThat(frame.callId()).isEqualTo(callId);
        assertThat(frame.functionId()).isEqualTo(functionId);
        assertThat(frame.payload()).isEqualTo(payload);
    }

    protected static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** A payload whose length and content follow from the call id. */
    private static byte[] patterned(long callId) {
        int length = (int) ((callId * 31 + (callId >>> 32) * 7) % 4000);
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (callId + i);
        }
        return bytes;
    }

    protected static String host(String address) {
        String rest = address.substring(address.indexOf("://") + 3);
        String host = rest.substring(0, rest.lastIndexOf(':'));
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    protected static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** Writes bytes the listener may refuse, and reset the connection for, before they are all written. */
    protected static void writeRefusable(Socket raw, byte[] bytes) {
        try {
            OutputStream out = raw.getOutputStream();
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            // Refused already.
        }
    }

    private static void shutdownOutput(Socket raw) {
        try {
            raw.shutdownOutput();
        } catch (IOException e) {
            // Reset already.
        }
    }

    /**
     * Sends a frame the peer refuses: the peer may close the connection (and so this channel)
     * while the frame is still being written, so the send may fail.
     */
    private static void sendRacingTheClose(FrameChannel channel, Frame frame) {
        try {
            channel.send(frame);
        } catch (IOException e) {
            // The peer refused the frame before it was all written.
        }
    }

    private static void awaitThen(CountDownLatch latch, Runnable action) {
        try {
            latch.await();
            action.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records what a channel reports. */
    protected static final class RecordingHandler implements FrameHandler {
        private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
        private final AtomicInteger closedCalls = new AtomicInteger();
        private final AtomicReference<Throwable> cause = new AtomicReference<>();
        private final CountDownLatch closed = new CountDownLatch(1);
        private volatile boolean framesAfterClose;
        volatile java.util.function.Consumer<Frame> onEachFrame = frame -> {};

        public RecordingHandler() {}

        @Override
        public void onFrame(Frame frame) {
            if (closedCalls.get() > 0) {
                framesAfterClose = true;
            }
            onEachFrame.accept(frame);
            frames.add(frame);
        }

        @Override
        public void onClosed(Throwable cause) {
            this.cause.set(cause);
            closedCalls.incrementAndGet();
            closed.countDown();
        }

        /** The next frame; fails if none comes. */
        public Frame next() throws InterruptedException {
            Frame frame = frames.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(frame).as("a frame within %s", WAIT).isNotNull();
            return frame;
        }

        /** Waits for onClosed and returns its cause. */
        public Throwable awaitClosed() throws InterruptedException {
            assertThat(closed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("onClosed within %s", WAIT).isTrue();
            assertThat(framesAfterClose).as("no frame after onClosed").isFalse();
            return cause.get();
        }

        public int closedCalls() {
            return closedCalls.get();
        }

        public int framesLeft() {
            return frames.size();
        }
    }
}
