package dev.rpcparallel.transport.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.FrameKind;
import dev.rpcparallel.spi.transport.TransportAddress;
import dev.rpcparallel.spi.transport.TransportListener;
import java.io.EOFException;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The compliance kit: closing (with its cause, once), listeners, connecting, and garbage from a peer. */
public abstract class CloseAndConnectContracts extends FrameContracts {
    @Test
    void peerCloseIsAnEndOfFile() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        pair.client().send(new Frame(FrameKind.HELLO, 0, 0, bytes(10, 1)));
        pair.serverHandler().next();

        pair.client().close();

        assertThat(pair.serverHandler().awaitClosed()).isInstanceOf(EOFException.class);
        assertThat(pair.clientHandler().awaitClosed()).isNull();
        assertThatThrownBy(() -> pair.server().send(new Frame(FrameKind.ERROR, 0, 0, bytes(10, 1))))
                .isInstanceOf(IOException.class);
        expectClosedOnce(pair.serverHandler());
        expectClosedOnce(pair.clientHandler());
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
                pool.execute(() -> awaitThen(go, pair.client()::close));
                pool.execute(() -> awaitThen(go, pair.server()::close));
            }
            go.countDown();
            pair.clientHandler().awaitClosed();
            pair.serverHandler().awaitClosed();
        } finally {
            pool.shutdownNow();
        }
        expectClosedOnce(pair.clientHandler());
        expectClosedOnce(pair.serverHandler());
        pair.client().close();
        assertThatThrownBy(() -> pair.client().send(new Frame(FrameKind.CALL, 1, 1, bytes(1, 1))))
                .isInstanceOf(IOException.class);
    }

    @Test
    void closeWhileTheHandlerIsBusyReportsNullAfterTheFrame() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        pair.serverHandler().onEachFrame = frame -> {
            inHandler.countDown();
            awaitThen(release, () -> {});
        };
        pair.client().send(new Frame(FrameKind.CALL, 1, 1, bytes(10, 1)));
        assertThat(inHandler.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        pair.server().close();
        assertThat(pair.serverHandler().closedCalls()).as("not while a frame is being handled").isZero();
        release.countDown();

        assertThat(pair.serverHandler().awaitClosed()).isNull();
        expectClosedOnce(pair.serverHandler());
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
        pair.client().send(new Frame(FrameKind.CALL, 1, 1, bytes(10, 1)));
        assertThat(pair.serverHandler().next().callId()).isEqualTo(1);
        pair.server().send(new Frame(FrameKind.RESULT, 1, 0, bytes(10, 2)));
        assertThat(pair.clientHandler().next().callId()).isEqualTo(1);
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
    void aFailingHandlerClosesTheChannelWithItsException() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        IllegalStateException failure = new IllegalStateException("the handler failed");
        pair.serverHandler().onEachFrame = frame -> {
            throw failure;
        };
        pair.client().send(new Frame(FrameKind.CALL, 1, 1, bytes(10, 1)));
        assertThat(pair.serverHandler().awaitClosed()).isSameAs(failure);
        expectClosedOnce(pair.serverHandler());
        // The peer sees the connection go.
        pair.clientHandler().awaitClosed();
    }
}
