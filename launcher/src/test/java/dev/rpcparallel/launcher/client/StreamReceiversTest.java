package dev.rpcparallel.launcher.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.DirectPipeCallback;
import dev.rpcparallel.api.RpcParallelException;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.launcher.protocol.FlowControl;
import dev.rpcparallel.launcher.protocol.InboundStream;
import dev.rpcparallel.launcher.protocol.StreamLimits;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The receiving ends' accounting: credit given back in bytes, and what a producer without credit meets. */
class StreamReceiversTest {
    private static final int KIB = 1024;

    @Test
    void aStreamGivesCreditBackByTheQuarterOfItsByteWindowAsItsElementsAreTaken() {
        List<FlowControl.Credit> credits = new CopyOnWriteArrayList<>();
        InboundStream<byte[]> stream = new InboundStream<>("pipe 'p' of worker 'w'",
                new FlowControl.Window(1024, 64 * KIB), bytes -> bytes, credits::add, () -> { });
        for (int i = 0; i < 8; i++) {
            stream.onElement(new byte[8 * KIB]);
        }
        Iterator<byte[]> elements = stream.iterator();
        elements.next();
        assertThat(credits).as("8 KiB taken: less than a quarter of 64 KiB").isEmpty();
        elements.next();
        assertThat(credits).containsExactly(new FlowControl.Credit(2, 16 * KIB));
        for (int i = 2; i < 8; i++) {
            elements.next();
        }
        assertThat(credits).hasSize(4);
        stream.onEnd();
        assertThat(elements.hasNext()).isFalse();
    }

    @Test
    void aProducerThatSendsBeyondTheByteWindowFailsTheStreamNamingTheWindow() {
        InboundStream<byte[]> stream = new InboundStream<>("pipe 'p' of worker 'w'",
                new FlowControl.Window(1024, 64 * KIB), bytes -> bytes, credit -> { }, () -> { });
        stream.onElement(new byte[40 * KIB]);
        stream.onElement(new byte[24 * KIB]);
        stream.onElement(new byte[KIB]);
        Iterator<byte[]> elements = stream.iterator();
        assertThatThrownBy(elements::hasNext).isInstanceOf(ConnectionException.class)
                .hasMessage("pipe 'p' of worker 'w' failed: the producer sent more than its credit allows (a window"
                        + " of 1024 elements and 65536 bytes; an element of 1024 bytes arrived with 65536 bytes not"
                        + " yet given back)");
    }

    @Test
    void aDirectPipeRunsItsCallbackOffTheReadingThreadInOrderAndAcknowledgesWhatItTook() throws Exception {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        List<FlowControl.Credit> acknowledged = new CopyOnWriteArrayList<>();
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        Thread reading = Thread.currentThread();
        AtomicInteger onReadingThread = new AtomicInteger();
        DirectPipeReceiver<byte[]> receiver = new DirectPipeReceiver<>("direct pipe 'd' of worker 'w'",
                limits(64 * KIB), bytes -> bytes, new DirectPipeCallback<>() {
                    @Override
                    public void onElement(byte[] element) {
                        if (Thread.currentThread() == reading) {
                            onReadingThread.incrementAndGet();
                        }
                        seen.add((int) element[0]);
                    }

                    @Override
                    public void onClosed(Throwable error) {
                        closed.complete(error);
                    }
                }, acknowledged::add, () -> { });
        for (int i = 0; i < 10; i++) {
            byte[] element = new byte[4 * KIB];
            element[0] = (byte) i;
            receiver.onElement(element);
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 10);
        receiver.close(null, false);
        assertThat(closed.get(30, TimeUnit.SECONDS)).isNull();
        assertThat(seen).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(onReadingThread).hasValue(0);
        assertThat(acknowledged).as("a quarter of 64 KiB at a time")
                .containsExactly(new FlowControl.Credit(4, 16 * KIB), new FlowControl.Credit(4, 16 * KIB));
    }

    @Test
    void aDirectPipeWhoseCallbackFallsBehindItsBoundFailsAsConsumerTooSlowAndCancelsTheWorker() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        AtomicInteger cancels = new AtomicInteger();
        List<Integer> seen = new CopyOnWriteArrayList<>();
        DirectPipeReceiver<byte[]> receiver = new DirectPipeReceiver<>("direct pipe 'd' of worker 'w'",
                limits(64 * KIB), bytes -> bytes, new DirectPipeCallback<>() {
                    @Override
                    public void onElement(byte[] element) {
                        seen.add((int) element[0]);
                        try {
                            release.await(); // a callback stuck on its first element
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }

                    @Override
                    public void onClosed(Throwable error) {
                        closed.complete(error);
                    }
                }, credit -> { }, cancels::incrementAndGet);
        receiver.onElement(new byte[8 * KIB]);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 1);
        for (int i = 1; i < 20; i++) {
            byte[] element = new byte[8 * KIB];
            element[0] = (byte) i;
            receiver.onElement(element);
        }
        assertThat(cancels).hasValue(1);
        assertThat(closed).isNotDone();
        release.countDown();
        Throwable error = closed.get(30, TimeUnit.SECONDS);
        assertThat(error).isInstanceOf(RpcParallelException.class).hasMessageStartingWith(
                "direct pipe 'd' of worker 'w' failed, consumer too slow: 65536 bytes were pushed and not yet taken by"
                        + " the caller's callback, and 8192 more would pass the bound of 65536 bytes"
                        + " (directPipeQueueBytes).");
        assertThat(seen).as("what waited for the callback was dropped").containsExactly(0);
    }

    private static StreamLimits limits(int directPipeQueueBytes) {
        return StreamLimits.of(RpcSettings.defaults().withDirectPipeQueueBytes(directPipeQueueBytes));
    }
}
