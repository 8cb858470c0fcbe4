package dev.rpcparallel.transport.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.FrameHandler;
import dev.rpcparallel.spi.transport.FrameKind;
import dev.rpcparallel.spi.transport.TransportListener;
import java.io.EOFException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What every {@link dev.rpcparallel.spi.transport.Transport} must do: the compliance kit of the transport SPI, as abstract
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
 * handler that does not return. The first are in the classes this one extends; the optional
 * contracts and backpressure are here.
 */
public abstract class TransportCompliance extends CloseAndConnectContracts {

    // ------------------------------------------------- optional: deferred flush

    @Test
    void framesSentUnflushedGoOutOnFlush() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        for (int i = 0; i < 3; i++) {
            pair.client().send(new Frame(FrameKind.ELEMENT, 5, i, bytes(100 * i, i)), false);
        }
        pair.client().flush();
        for (int i = 0; i < 3; i++) {
            assertFrame(pair.serverHandler().next(), FrameKind.ELEMENT, 5, i, bytes(100 * i, i));
        }
    }

    @Test
    void framesSentUnflushedGoOutWithTheNextFlushingSend() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        pair.client().send(new Frame(FrameKind.ELEMENT, 5, 0, bytes(10, 1)), false);
        pair.client().send(new Frame(FrameKind.END, 5, 0, Frame.noPayload()), true);
        assertFrame(pair.serverHandler().next(), FrameKind.ELEMENT, 5, 0, bytes(10, 1));
        assertFrame(pair.serverHandler().next(), FrameKind.END, 5, 0, Frame.noPayload());
    }

    @Test
    void answersTheReadingThreadSendsUnflushedGoOutOnceItHasNoMoreInput() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        // A server that answers on the reading thread and never flushes itself.
        pair.serverHandler().onEachFrame = frame -> sendQuietly(pair.server(),
                new Frame(FrameKind.RESULT, frame.callId(), 0, frame.payload()), false);
        // One call alone: the reader has no more input once it is answered.
        pair.client().send(new Frame(FrameKind.CALL, 100, 1, bytes(10, 100)));
        assertFrame(pair.clientHandler().next(), FrameKind.RESULT, 100, 0, bytes(10, 100));
        // Calls in bursts of five (flushed by the last of each): answered as they come, in order.
        int calls = 50;
        for (int i = 0; i < calls; i++) {
            pair.client().send(new Frame(FrameKind.CALL, i, 1, bytes(i * 10, i)), i % 5 == 4);
        }
        for (int i = 0; i < calls; i++) {
            assertFrame(pair.clientHandler().next(), FrameKind.RESULT, i, 0, bytes(i * 10, i));
        }
    }

    @Test
    void aSliceOfAnArrayIsSentAsThoseBytesOnly() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        byte[] whole = bytes(10_000, 7);
        pair.client().send(FrameKind.CHUNK, 3, 10_000, whole, 1000, 2500, true);
        pair.client().send(FrameKind.CALL, 3, 4, whole, 10_000, 0, true);
        assertFrame(pair.serverHandler().next(), FrameKind.CHUNK, 3, 10_000, Arrays.copyOfRange(whole, 1000, 3500));
        assertFrame(pair.serverHandler().next(), FrameKind.CALL, 3, 4, Frame.noPayload());
        assertThatThrownBy(() -> pair.client().send(FrameKind.CALL, 3, 4, whole, 9000, 2000, true))
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
        if (!pair.server().canHandOffReading()) {
            assertThatThrownBy(pair.server()::handOffReading).isInstanceOf(UnsupportedOperationException.class);
            return;
        }
        CountDownLatch secondRead = new CountDownLatch(1);
        AtomicReference<Boolean> readWhileHeld = new AtomicReference<>();
        java.util.Map<Long, Thread> readers = new java.util.concurrent.ConcurrentHashMap<>();
        pair.serverHandler().onEachFrame = frame -> {
            readers.put(frame.callId(), Thread.currentThread());
            if (frame.callId() == 1) {
                pair.server().handOffReading();
                // Held until the new thread has read on.
                try {
                    readWhileHeld.set(secondRead.await(WAIT.toSeconds(), TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                // Answered unflushed by the thread that no longer reads, once the new reader
                // waits for input (so that only this thread can flush it): out when it returns.
                awaitWaitingForInput(readers.get(2L));
                sendQuietly(pair.server(), new Frame(FrameKind.RESULT, 1, 0, bytes(10, 1)), false);
            } else if (frame.callId() == 2) {
                secondRead.countDown();
            }
        };
        pair.client().send(new Frame(FrameKind.CALL, 1, 0, bytes(10, 1)));
        pair.client().send(new Frame(FrameKind.CALL, 2, 0, bytes(10, 2)));
        assertFrame(pair.clientHandler().next(), FrameKind.RESULT, 1, 0, bytes(10, 1));
        assertThat(readWhileHeld.get()).as("frame 2 read while frame 1 was held").isTrue();
        java.util.Set<Long> handled = new java.util.TreeSet<>();
        for (int i = 0; i < 2; i++) {
            handled.add(pair.serverHandler().next().callId());
        }
        assertThat(handled).containsExactly(1L, 2L);

        // The new reader goes on, and the handler hears of the close once.
        pair.client().send(new Frame(FrameKind.CALL, 3, 0, bytes(10, 3)));
        assertThat(pair.serverHandler().next().callId()).isEqualTo(3);
        assertThat(readers.get(2L)).isNotSameAs(readers.get(1L)).isSameAs(readers.get(3L));
        pair.client().close();
        assertThat(pair.serverHandler().awaitClosed()).isInstanceOf(EOFException.class);
        expectClosedOnce(pair.serverHandler());
    }

    /**
     * Waits until a reading thread has left the handler and waits for input: parked, or blocked
     * in a native read.
     */
    private static void awaitWaitingForInput(Thread reader) {
        await().atMost(WAIT).until(() -> {
            StackTraceElement[] stack = reader.getStackTrace();
            boolean inHandler = java.util.Arrays.stream(stack)
                    .anyMatch(element -> element.getClassName().endsWith("RecordingHandler"));
            Thread.State state = reader.getState();
            boolean waiting = state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING
                    || state == Thread.State.BLOCKED || stack.length > 0 && stack[0].isNativeMethod();
            return !inHandler && waiting;
        });
    }

    // ------------------------------------------------- backpressure

    @Test
    void aHandlerThatDoesNotReturnStopsTheSenderWithinBoundedBytes() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        CountDownLatch release = new CountDownLatch(1);
        pair.serverHandler().keepFrames = false;
        pair.serverHandler().onEachFrame = frame -> awaitThen(release, () -> {});
        byte[] piece = bytes(256 * 1024, 11);
        long most = 256L * 1024 * 1024;
        java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        ExecutorService sender = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> frames = sender.submit(() -> {
                int count = 0;
                while (!stop.get() && sent.get() < most) {
                    pair.client().send(new Frame(FrameKind.ELEMENT, 1, 0, piece));
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
            await().until(() -> pair.serverHandler().framesSeen() == count);
        } finally {
            release.countDown();
            sender.shutdownNow();
        }
    }
}
