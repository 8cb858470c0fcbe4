package dev.rpcparallel.transport.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.spi.transport.ChannelAcceptor;
import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.FrameHandler;
import dev.rpcparallel.spi.transport.FrameKind;
import dev.rpcparallel.spi.transport.ListenOptions;
import dev.rpcparallel.spi.transport.Transport;
import dev.rpcparallel.spi.transport.TransportAddress;
import dev.rpcparallel.spi.transport.TransportConfig;
import dev.rpcparallel.spi.transport.TransportListener;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * What the compliance kit's tests share: the hooks a transport's test supplies, the resources
 * closed after each test, connected pairs of channels and a handler that records what it is
 * told. Extend {@link TransportCompliance}, not this.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
public abstract class TransportTestSupport {

    /** The frame size limit of most tests. */
    protected static final int LIMIT = 1024 * 1024;
    protected static final Duration WAIT = Duration.ofSeconds(30);
    protected static final String LOOPBACK = "127.0.0.1";

    /**
     * A connection to a listener that sends raw bytes instead of frames: what a broken or hostile
     * peer does.
     */
    public interface RawConnection extends AutoCloseable {
        /** The bytes the listener's channel reads. */
        OutputStream output() throws IOException;

        /** Ends what the listener's channel reads (its reader sees the end of the stream). */
        void shutdownOutput() throws IOException;

        @Override
        void close() throws IOException;
    }

    /** Closed after each test, last first; channels are added by the accept threads too. */
    private final List<AutoCloseable> resources = java.util.Collections.synchronizedList(new ArrayList<>());

    /** The transport under test. */
    protected abstract Transport transport();

    /** An address of the transport where nobody listens. */
    protected abstract TransportAddress unusedAddress() throws IOException;

    /** Opens a connection to the listener at {@code address} that writes raw bytes. */
    protected abstract RawConnection connectRaw(TransportAddress address) throws IOException;

    /** Where the tests' listeners listen: loopback. */
    protected ListenOptions listenOptions() {
        return ListenOptions.on(LOOPBACK);
    }

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

    /** Listens with {@link #listenOptions()}; every channel accepted is closed after the test. */
    protected TransportListener listen(TransportConfig config, ChannelAcceptor acceptor) throws IOException {
        return track(transport().listen(listenOptions(), config, channel -> acceptor.accept(track(channel))));
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
        pair.client().send(new Frame(FrameKind.HELLO, 0, 0, bytes(100, 9)));
        assertFrame(pair.serverHandler().next(), FrameKind.HELLO, 0, 0, bytes(100, 9));
        pair.server().send(new Frame(FrameKind.CHALLENGE, 0, 0, bytes(100, 10)));
        assertFrame(pair.clientHandler().next(), FrameKind.CHALLENGE, 0, 0, bytes(100, 10));
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
    protected static byte[] patterned(long callId) {
        int length = (int) ((callId * 31 + (callId >>> 32) * 7) % 4000);
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (callId + i);
        }
        return bytes;
    }

    /** Writes bytes the listener may refuse, and close the connection for, before they are all written. */
    protected static void writeRefusable(RawConnection raw, byte[] bytes) {
        try {
            OutputStream out = raw.output();
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            // Refused already.
        }
    }

    protected static void shutdownOutput(RawConnection raw) {
        try {
            raw.shutdownOutput();
        } catch (IOException e) {
            // Closed already.
        }
    }

    /**
     * Sends a frame the peer refuses: the peer may close the connection (and so this channel)
     * while the frame is still being written, so the send may fail.
     */
    protected static void sendRacingTheClose(FrameChannel channel, Frame frame) {
        try {
            channel.send(frame);
        } catch (IOException e) {
            // The peer refused the frame before it was all written.
        }
    }

    protected static void sendQuietly(FrameChannel channel, Frame frame, boolean flush) {
        try {
            channel.send(frame, flush);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    protected static void awaitThen(CountDownLatch latch, Runnable action) {
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
        private final AtomicInteger framesSeen = new AtomicInteger();
        private volatile boolean framesAfterClose;
        /** Runs on the reading thread for each frame, before it is recorded. */
        public volatile java.util.function.Consumer<Frame> onEachFrame = frame -> {};
        /** Whether frames are kept for {@link #next()}, or only counted. */
        public volatile boolean keepFrames = true;

        public RecordingHandler() {}

        @Override
        public void onFrame(Frame frame) {
            if (closedCalls.get() > 0) {
                framesAfterClose = true;
            }
            onEachFrame.accept(frame);
            framesSeen.incrementAndGet();
            if (keepFrames) {
                frames.add(frame);
            }
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

        /** How many frames were handled (kept or not). */
        public int framesSeen() {
            return framesSeen.get();
        }

        public int framesLeft() {
            return frames.size();
        }
    }
}
