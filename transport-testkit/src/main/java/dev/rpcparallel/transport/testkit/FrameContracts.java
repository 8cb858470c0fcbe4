package dev.rpcparallel.transport.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameKind;
import dev.rpcparallel.spi.transport.TransportConfig;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The compliance kit: frames both ways, in order, whole under concurrent senders, and the frame size limit. */
public abstract class FrameContracts extends TransportTestSupport {
    @Test
    void framesMakeTheRoundTripBothWays() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));

        byte[] argument = bytes(1000, 1);
        pair.client().send(new Frame(FrameKind.CALL, 42, 7, argument));
        Frame call = pair.serverHandler().next();
        assertFrame(call, FrameKind.CALL, 42, 7, argument);

        byte[] result = bytes(3000, 2);
        pair.server().send(new Frame(FrameKind.RESULT, 42, 0, result));
        assertFrame(pair.clientHandler().next(), FrameKind.RESULT, 42, 0, result);

        // Every kind, empty payloads, and the extremes of the ids.
        long[] callIds = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40};
        int[] functionIds = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 300};
        for (FrameKind kind : FrameKind.values()) {
            for (int i = 0; i < callIds.length; i++) {
                byte[] payload = i % 2 == 0 ? Frame.noPayload() : bytes(i * 17, i);
                pair.client().send(new Frame(kind, callIds[i], functionIds[i], payload));
                pair.server().send(new Frame(kind, callIds[i], functionIds[i], payload));
                assertFrame(pair.serverHandler().next(), kind, callIds[i], functionIds[i], payload);
                assertFrame(pair.clientHandler().next(), kind, callIds[i], functionIds[i], payload);
            }
        }
        assertThat(pair.serverHandler().closedCalls()).isZero();
        assertThat(pair.clientHandler().closedCalls()).isZero();
    }

    @Test
    void tenThousandFramesArriveInOrder() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        int count = 10_000;
        for (int i = 0; i < count; i++) {
            pair.client().send(new Frame(FrameKind.CALL, i, i % 13, ByteBuffer.allocate(4).putInt(i).array()));
        }
        for (int i = 0; i < count; i++) {
            Frame frame = pair.serverHandler().next();
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
                        pair.client().send(new Frame(FrameKind.CALL, callId, thread, patterned(callId)));
                    }
                    return null;
                }));
            }
            int[] nextSeq = new int[threads];
            for (int n = 0; n < threads * perThread; n++) {
                Frame frame = pair.serverHandler().next();
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
        pair.client().send(new Frame(FrameKind.CALL, 1, 2, payload));
        Frame received = pair.serverHandler().next();
        assertThat(received.payload().length).isEqualTo(size);
        assertThat(Arrays.equals(received.payload(), payload)).as("payload intact").isTrue();

        pair.server().send(new Frame(FrameKind.RESULT, 1, 0, received.payload()));
        Frame back = pair.clientHandler().next();
        assertThat(Arrays.equals(back.payload(), payload)).as("payload intact").isTrue();
    }

    @Test
    void oversizeFrameReceivedClosesTheChannelNamingTheLimit() throws Exception {
        int serverLimit = 4096;
        Pair pair = connectedPair(config(serverLimit), config(LIMIT));
        pair.client().send(new Frame(FrameKind.CALL, 1, 1, bytes(100, 1)));
        assertThat(pair.serverHandler().next().callId()).isEqualTo(1);

        sendRacingTheClose(pair.client(), new Frame(FrameKind.CALL, 2, 1, bytes(2 * serverLimit, 2)));

        Throwable cause = pair.serverHandler().awaitClosed();
        assertThat(cause).isInstanceOf(IOException.class).isNotInstanceOf(EOFException.class);
        assertThat(cause.getMessage()).contains(String.valueOf(serverLimit));
        assertThat(pair.serverHandler().framesLeft()).isZero();
        assertThat(pair.serverHandler().closedCalls()).isEqualTo(1);
        // The peer sees the connection go.
        pair.clientHandler().awaitClosed();
    }

    @Test
    void oversizeFrameSentIsRefusedAndTheChannelStaysUsable() throws Exception {
        int clientLimit = 4096;
        Pair pair = connectedPair(config(LIMIT), config(clientLimit));
        Frame tooBig = new Frame(FrameKind.CALL, 1, 1, bytes(clientLimit + 1, 1));
        assertThatThrownBy(() -> pair.client().send(tooBig))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(clientLimit));

        pair.client().send(new Frame(FrameKind.CALL, 2, 1, bytes(100, 2)));
        assertThat(pair.serverHandler().next().callId()).isEqualTo(2);
        assertThat(pair.clientHandler().closedCalls()).isZero();
    }

    @Test
    void setMaxFrameSizeRaisesTheLimitWhileReading() throws Exception {
        int small = 4096;
        Pair pair = connectedPair(config(small), config(small));
        Frame big = new Frame(FrameKind.CALL, 1, 1, bytes(100_000, 3));

        assertThatThrownBy(() -> pair.client().send(big)).isInstanceOf(IllegalArgumentException.class);
        pair.client().setMaxFrameSize(LIMIT);
        // The server's reader is already waiting for the next frame: the new limit must apply to it.
        pair.server().setMaxFrameSize(LIMIT);
        pair.client().send(big);
        assertFrame(pair.serverHandler().next(), FrameKind.CALL, 1, 1, big.payload());
    }

    @Test
    void setMaxFrameSizeLowersTheLimit() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        pair.client().send(new Frame(FrameKind.CALL, 1, 1, bytes(100_000, 4)));
        assertThat(pair.serverHandler().next().callId()).isEqualTo(1);

        pair.server().setMaxFrameSize(4096);
        sendRacingTheClose(pair.client(), new Frame(FrameKind.CALL, 2, 1, bytes(100_000, 4)));
        Throwable cause = pair.serverHandler().awaitClosed();
        assertThat(cause).isInstanceOf(IOException.class).hasMessageContaining("4096");
    }

    @Test
    void startingTwiceIsRefused() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        assertThatThrownBy(() -> pair.client().start(new RecordingHandler())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aNonPositiveMaxFrameSizeIsRefused() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        assertThatThrownBy(() -> pair.client().setMaxFrameSize(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
