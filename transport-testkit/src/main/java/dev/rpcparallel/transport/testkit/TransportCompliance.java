package dev.rpcparallel.transport.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
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
 * What every {@link Transport} must do: the compliance kit of the transport SPI, as abstract
 * JUnit 5 tests. A transport's test class extends this class (the kit's jar in test scope),
 * returns the transport from {@link #transport()} and supplies the few things the kit cannot know
 * of it: an address where nobody listens ({@link #unusedAddress()}) and a raw connection to a
 * listener, to send it bytes that are not frames ({@link #connectRaw}). Nothing here assumes
 * TCP or any framing; tests of a transport's own framing (a frame header claiming 2 GiB, say)
 * live beside it.
 *
 * <p>Covered: frames both ways with every kind and the extremes of the ids, order, frames of
 * concurrent senders arriving whole, a 64 MiB payload, the frame size limit both ways and
 * changed while reading, the end of stream and close (with its cause, once, after the frame
 * being handled, before start), a failing handler, the listener's close, connect failures,
 * garbage on a connection, and the optional contracts: deferred flush (by the next flushing
 * send, by {@link FrameChannel#flush()}, and by the reading thread once it finds no more input),
 * slice delivery with a reused buffer, hand-off of reading, and backpressure in bytes against a
 * handler that does not return.
 */
public abstract class TransportCompliance {

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
    void connectingWhereNobodyListensFails() throws Exception {
        TransportAddress address = unusedAddress();
        assertThat(address.scheme()).isEqualTo(transport().name());
        assertThatThrownBy(() -> track(transport().connect(address, config(LIMIT))))
                .isInstanceOf(IOException.class);
    }

    @Test
    void connectingToAnotherTransportsAddressIsRefused() {
        assertThatThrownBy(() -> transport().connect("nosuchscheme://somewhere", config(LIMIT)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> transport().connect(new TransportAddress("nosuchscheme", "somewhere"), config(LIMIT)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theListenerAddressHasTheSchemeAndIsWhatClientsConnectTo() throws Exception {
        BlockingQueue<FrameChannel> accepted = new LinkedBlockingQueue<>();
        TransportListener listener = listen(config(LIMIT), accepted::add);
        TransportAddress address = listener.address();
        assertThat(address.scheme()).isEqualTo(transport().name());
        assertThat(TransportAddress.parse(address.toString())).isEqualTo(address);
        // Written as users see it, the address connects as well.
        FrameChannel client = track(transport().connect(address.toString(), config(LIMIT)));
        RecordingHandler server = startNext(accepted);
        client.start(new RecordingHandler());
        client.send(new Frame(FrameKind.HELLO, 0, 0, bytes(10, 1)));
        assertFrame(server.next(), FrameKind.HELLO, 0, 0, bytes(10, 1));
        assertThat(client.remoteAddress()).isNotEmpty();
    }

    @Test
    void twoListenersHaveTwoAddresses() throws Exception {
        TransportListener first = listen(config(LIMIT), channel -> {});
        TransportListener second = listen(config(LIMIT), channel -> {});
        assertThat(first.address()).isNotEqualTo(second.address());
    }

    @Test
    void randomBytesCloseThatChannelOnly() throws Exception {
        BlockingQueue<FrameChannel> accepted = new LinkedBlockingQueue<>();
        TransportListener listener = listen(config(LIMIT), accepted::add);
        Random random = new Random(20261123);
        for (int round = 0; round < 5; round++) {
            try (RawConnection raw = connectRaw(listener.address())) {
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
    void aConnectionThatEndsInTheMiddleOfAFrameClosesWithAnError() throws Exception {
        BlockingQueue<FrameChannel> accepted = new LinkedBlockingQueue<>();
        TransportListener listener = listen(config(LIMIT), accepted::add);
        try (RawConnection raw = connectRaw(listener.address())) {
            RecordingHandler handler = startNext(accepted);
            // Any framing needs more than one byte for a frame.
            writeRefusable(raw, new byte[] {0});
            shutdownOutput(raw);
            assertThat(handler.awaitClosed()).isInstanceOf(IOException.class);
            assertThat(handler.framesLeft()).isZero();
        }
        assertListenerServes(listener, accepted);
    }

    @Test
    void startingTwiceIsRefused() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        assertThatThrownBy(() -> pair.client.start(new RecordingHandler())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aNonPositiveMaxFrameSizeIsRefused() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        assertThatThrownBy(() -> pair.client.setMaxFrameSize(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailingHandlerClosesTheChannelWithItsException() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        IllegalStateException failure = new IllegalStateException("the handler failed");
        pair.serverHandler.onEachFrame = frame -> {
            throw failure;
        };
        pair.client.send(new Frame(FrameKind.CALL, 1, 1, bytes(10, 1)));
        assertThat(pair.serverHandler.awaitClosed()).isSameAs(failure);
        expectClosedOnce(pair.serverHandler);
        // The peer sees the connection go.
        pair.clientHandler.awaitClosed();
    }

    // ------------------------------------------------- optional: deferred flush

    @Test
    void framesSentUnflushedGoOutOnFlush() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        for (int i = 0; i < 3; i++) {
            pair.client.send(new Frame(FrameKind.ELEMENT, 5, i, bytes(100 * i, i)), false);
        }
        pair.client.flush();
        for (int i = 0; i < 3; i++) {
            assertFrame(pair.serverHandler.next(), FrameKind.ELEMENT, 5, i, bytes(100 * i, i));
        }
    }

    @Test
    void framesSentUnflushedGoOutWithTheNextFlushingSend() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        pair.client.send(new Frame(FrameKind.ELEMENT, 5, 0, bytes(10, 1)), false);
        pair.client.send(new Frame(FrameKind.END, 5, 0, Frame.noPayload()), true);
        assertFrame(pair.serverHandler.next(), FrameKind.ELEMENT, 5, 0, bytes(10, 1));
        assertFrame(pair.serverHandler.next(), FrameKind.END, 5, 0, Frame.noPayload());
    }

    @Test
    void answersTheReadingThreadSendsUnflushedGoOutOnceItHasNoMoreInput() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        // A server that answers on the reading thread and never flushes itself.
        pair.serverHandler.onEachFrame = frame -> sendQuietly(pair.server,
                new Frame(FrameKind.RESULT, frame.callId(), 0, frame.payload()), false);
        // One call alone: the reader has no more input once it is answered.
        pair.client.send(new Frame(FrameKind.CALL, 100, 1, bytes(10, 100)));
        assertFrame(pair.clientHandler.next(), FrameKind.RESULT, 100, 0, bytes(10, 100));
        // Calls in bursts of five (flushed by the last of each): answered as they come, in order.
        int calls = 50;
        for (int i = 0; i < calls; i++) {
            pair.client.send(new Frame(FrameKind.CALL, i, 1, bytes(i * 10, i)), i % 5 == 4);
        }
        for (int i = 0; i < calls; i++) {
            assertFrame(pair.clientHandler.next(), FrameKind.RESULT, i, 0, bytes(i * 10, i));
        }
    }

    @Test
    void aSliceOfAnArrayIsSentAsThoseBytesOnly() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        byte[] whole = bytes(10_000, 7);
        pair.client.send(FrameKind.CHUNK, 3, 10_000, whole, 1000, 2500, true);
        pair.client.send(FrameKind.CALL, 3, 4, whole, 10_000, 0, true);
        assertFrame(pair.serverHandler.next(), FrameKind.CHUNK, 3, 10_000, Arrays.copyOfRange(whole, 1000, 3500));
        assertFrame(pair.serverHandler.next(), FrameKind.CALL, 3, 4, Frame.noPayload());
        assertThatThrownBy(() -> pair.client.send(FrameKind.CALL, 3, 4, whole, 9000, 2000, true))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    // ------------------------------------------------- optional: slice delivery

    @Test
    void aHandlerTakingSlicesGetsEveryPayloadIntact() throws Exception {
        BlockingQueue<FrameChannel> accepted = new LinkedBlockingQueue<>();
        TransportListener listener = listen(config(LIMIT), accepted::add);
        FrameChannel client = track(transport().connect(listener.address(), config(LIMIT)));
        FrameChannel server = accepted.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(server).as("accepted channel").isNotNull();
        BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
        server.start(new FrameHandler() {
            @Override
            public void onFrame(Frame frame) {
                received.add(frame);
            }

            @Override
            public void onFrame(FrameKind kind, long callId, int functionId, byte[] buffer, int offset, int length) {
                // Copied at once: the buffer may hold the next frame once this returns.
                received.add(new Frame(kind, callId, functionId, Arrays.copyOfRange(buffer, offset, offset + length)));
            }

            @Override
            public void onClosed(Throwable cause) {}
        });
        client.start(new RecordingHandler());
        // Empty, small, large, larger than any buffer a channel would keep, then small again.
        int[] sizes = {0, 3, 256 * 1024, LIMIT - 1024, 17, 1};
        for (int i = 0; i < sizes.length; i++) {
            client.send(new Frame(FrameKind.CHUNK, i, sizes[i] * 2, bytes(sizes[i], i)));
        }
        for (int i = 0; i < sizes.length; i++) {
            Frame frame = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(frame).as("frame %s within %s", i, WAIT).isNotNull();
            assertFrame(frame, FrameKind.CHUNK, i, sizes[i] * 2, bytes(sizes[i], i));
        }
    }

    // ------------------------------------------------- optional: hand-off of reading

    @Test
    void handingOffReadingLetsANewThreadReadWhileTheHandlerWorks() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        if (!pair.server.canHandOffReading()) {
            assertThatThrownBy(pair.server::handOffReading).isInstanceOf(UnsupportedOperationException.class);
            return;
        }
        CountDownLatch secondRead = new CountDownLatch(1);
        AtomicReference<Boolean> readWhileHeld = new AtomicReference<>();
        java.util.Map<Long, Thread> readers = new java.util.concurrent.ConcurrentHashMap<>();
        pair.serverHandler.onEachFrame = frame -> {
            readers.put(frame.callId(), Thread.currentThread());
            if (frame.callId() == 1) {
                pair.server.handOffReading();
                // Held until the new thread has read on.
                try {
                    readWhileHeld.set(secondRead.await(WAIT.toSeconds(), TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                // Answered unflushed by the thread that no longer reads: out when it returns.
                sendQuietly(pair.server, new Frame(FrameKind.RESULT, 1, 0, bytes(10, 1)), false);
            } else if (frame.callId() == 2) {
                secondRead.countDown();
            }
        };
        for (long call = 1; call <= 3; call++) {
            pair.client.send(new Frame(FrameKind.CALL, call, 0, bytes(10, call)));
        }
        java.util.Set<Long> handled = new java.util.TreeSet<>();
        for (int i = 0; i < 3; i++) {
            handled.add(pair.serverHandler.next().callId());
        }
        assertThat(handled).containsExactly(1L, 2L, 3L);
        assertThat(readWhileHeld.get()).as("frame 2 read while frame 1 was held").isTrue();
        assertThat(readers.get(2L)).isNotSameAs(readers.get(1L)).isSameAs(readers.get(3L));
        assertFrame(pair.clientHandler.next(), FrameKind.RESULT, 1, 0, bytes(10, 1));

        // The new reader goes on, and the handler hears of the close once.
        pair.client.send(new Frame(FrameKind.CALL, 4, 0, bytes(10, 4)));
        assertThat(pair.serverHandler.next().callId()).isEqualTo(4);
        pair.client.close();
        assertThat(pair.serverHandler.awaitClosed()).isInstanceOf(EOFException.class);
        expectClosedOnce(pair.serverHandler);
    }

    // ------------------------------------------------- backpressure

    @Test
    void aHandlerThatDoesNotReturnStopsTheSenderWithinBoundedBytes() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        CountDownLatch release = new CountDownLatch(1);
        pair.serverHandler.keepFrames = false;
        pair.serverHandler.onEachFrame = frame -> awaitThen(release, () -> {});
        byte[] piece = bytes(256 * 1024, 11);
        long most = 256L * 1024 * 1024;
        java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        ExecutorService sender = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> frames = sender.submit(() -> {
                int count = 0;
                while (!stop.get() && sent.get() < most) {
                    pair.client.send(new Frame(FrameKind.ELEMENT, 1, 0, piece));
                    sent.addAndGet(piece.length);
                    count++;
                }
                return count;
            });
            // The sender stalls: nothing more is sent for a second.
            long[] last = {-1};
            long[] since = {System.nanoTime()};
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
                long now = sent.get();
                if (now != last[0]) {
                    last[0] = now;
                    since[0] = System.nanoTime();
                    return false;
                }
                return System.nanoTime() - since[0] > TimeUnit.SECONDS.toNanos(1);
            });
            assertThat(sent.get()).as("bytes sent to a handler that does not return").isLessThan(64L * 1024 * 1024);
            assertThat(frames).isNotDone();

            stop.set(true);
            release.countDown();
            int count = frames.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            await().until(() -> pair.serverHandler.framesSeen() == count);
        } finally {
            release.countDown();
            sender.shutdownNow();
        }
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

    private static void shutdownOutput(RawConnection raw) {
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
    private static void sendRacingTheClose(FrameChannel channel, Frame frame) {
        try {
            channel.send(frame);
        } catch (IOException e) {
            // The peer refused the frame before it was all written.
        }
    }

    private static void sendQuietly(FrameChannel channel, Frame frame, boolean flush) {
        try {
            channel.send(frame, flush);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
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
