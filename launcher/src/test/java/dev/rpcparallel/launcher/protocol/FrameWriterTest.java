package dev.rpcparallel.launcher.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.FrameHandler;
import dev.rpcparallel.spi.transport.FrameKind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Who writes and who flushes, decided by the {@link FrameWriter} alone: recorded on a channel
 * that keeps, per write and flush, the thread that did it.
 */
class FrameWriterTest {
    private final Recording channel = new Recording();
    private final FrameWriter writer = new FrameWriter(channel, 1024, "rpc-parallel-write-test");

    @AfterEach
    void close() {
        writer.close();
    }

    @Test
    void anIdleWriterWritesAndFlushesOnTheSendingThread() throws Exception {
        writer.send(call(1));

        String me = Thread.currentThread().getName();
        assertThat(channel.events).containsExactly("CALL 1 by " + me, "flush by " + me);
    }

    @Test
    void anIdleWritersFrameIsFlushedInTheSameSendOfTheChannel() throws Exception {
        // Written unflushed and flushed after, the channel's reading thread could see it pending
        // in between and wait for the channel's write lock: once per call.
        writer.send(call(1));

        assertThat(channel.flushedInTheirSend).containsExactly("CALL 1");
    }

    @Test
    void theReadingThreadNeverWritesItsSendsItself() throws Exception {
        writer.readBy(Thread.currentThread());

        writer.send(call(1));

        await().atMost(Duration.ofSeconds(10)).until(() -> channel.events.size() == 2);
        assertThat(channel.events).containsExactly("CALL 1 by rpc-parallel-write-test",
                "flush by rpc-parallel-write-test");
    }

    @Test
    void theAnswerOfACallTheReadingThreadRanIsWrittenThereUnflushed() throws Exception {
        writer.readBy(Thread.currentThread());

        writer.sendAnswer(new Frame(FrameKind.RESULT, 1, 0, new byte[8]), () -> { });

        assertThat(channel.events).containsExactly("RESULT 1 by " + Thread.currentThread().getName());
    }

    @Test
    void onceReadingIsHandedOverTheFormerReaderWritesAndFlushes() throws Exception {
        writer.readBy(Thread.currentThread());
        writer.readBy(null);

        writer.sendAnswer(new Frame(FrameKind.RESULT, 1, 0, new byte[8]), () -> { });

        String me = Thread.currentThread().getName();
        assertThat(channel.events).containsExactly("RESULT 1 by " + me, "flush by " + me);
    }

    @Test
    void aLeadingFrameLeavesUnflushedWithTheOneAfterIt() throws Exception {
        writer.sendLeading(new Frame(FrameKind.DEADLINE, 1, 0, new byte[8]));
        writer.send(call(1));

        String me = Thread.currentThread().getName();
        assertThat(channel.events).containsExactly("DEADLINE 1 by " + me, "CALL 1 by " + me, "flush by " + me);
    }

    @Test
    void streamElementsAreFlushedInABatchByTheWriterThread() throws Exception {
        writer.send(new Frame(FrameKind.ELEMENT, 1, 0, new byte[8]));

        await().atMost(Duration.ofSeconds(10)).until(() -> channel.events.size() == 2);
        assertThat(channel.events).containsExactly("ELEMENT 1 by " + Thread.currentThread().getName(),
                "flush by rpc-parallel-write-test");
    }

    @Test
    void aPayloadOverTheMaximumMessageSizeIsRefusedWithItsSizeAndTheLimit() {
        assertThatThrownBy(() -> writer.send(new Frame(FrameKind.CALL, 1, 1, new byte[1025])))
                .isInstanceOfSatisfying(MessageSizeException.class, e -> {
                    assertThat(e.size()).isEqualTo(1025);
                    assertThat(e.limit()).isEqualTo(1024);
                })
                .hasMessage("the CALL payload of 1025 bytes is over the maximum message size of 1024 bytes"
                        + " (RpcSettings.maxMessageSize: raise it, or send large data in pieces through a pipe or"
                        + " reverse pipe)");
        assertThat(channel.events).isEmpty();
    }

    private static Frame call(long callId) {
        return new Frame(FrameKind.CALL, callId, 1, new byte[8]);
    }

    /** Records what is written and flushed, and by which thread; sends nowhere. */
    private static final class Recording implements FrameChannel {
        final List<String> events = new CopyOnWriteArrayList<>();
        /** The frames sent with {@code flush} set: written and flushed in one send. */
        final List<String> flushedInTheirSend = new CopyOnWriteArrayList<>();

        @Override
        public void start(FrameHandler handler) {}

        @Override
        public void send(Frame frame) {
            send(frame, true);
        }

        @Override
        public void send(Frame frame, boolean flush) {
            events.add(frame.kind() + " " + frame.callId() + " by " + Thread.currentThread().getName());
            if (flush) {
                flushedInTheirSend.add(frame.kind() + " " + frame.callId());
                flush();
            }
        }

        @Override
        public void flush() {
            events.add("flush by " + Thread.currentThread().getName());
        }

        @Override
        public void setMaxFrameSize(int bytes) {}

        @Override
        public String remoteAddress() {
            return "test";
        }

        @Override
        public void close() {}
    }
}
