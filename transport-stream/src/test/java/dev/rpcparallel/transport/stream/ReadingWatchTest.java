package dev.rpcparallel.transport.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.spi.transport.WatchDecision;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reading thread's watch, over the streams of a real Unix domain socket ({@link ChannelStreams}). */
class ReadingWatchTest {
    private static final long CAP = 50_000;

    @TempDir
    Path directory;

    private UnixStreamPair pair;
    private StreamConnection near;
    private StreamConnection far;

    @BeforeEach
    void connect() throws IOException {
        pair = new UnixStreamPair(directory);
        near = pair.near();
        far = pair.far();
    }

    @AfterEach
    void close() throws IOException {
        pair.close();
    }

    @Test
    void aChannelsInputTellsWhetherAReadWouldWait() throws IOException {
        assertThat(near.input().available()).as("nothing sent yet").isZero();
        send(far, 3);
        assertThat(near.input().available()).as("bytes there").isEqualTo(1);
        assertThat(near.input().read(new byte[8], 0, 8)).isEqualTo(3);
        assertThat(near.input().available()).as("all read").isZero();

        far.output().close();
        assertThat(near.input().available()).as("the end of input: a read returns at once").isEqualTo(1);
        assertThat(near.input().read(new byte[8], 0, 8)).isEqualTo(-1);
    }

    @Test
    void aChannelsInputIsWatchedAndNoOtherStream() {
        assertThat(new FrameInput(near.input(), 1024).watch().decision().watching()).as("a channel's input").isTrue();
        assertThat(new FrameInput(new ByteArrayInputStream(new byte[1]), 1024).watch().decision().watching())
                .as("any other stream (a socket's: pipelined calls lose their batching)").isFalse();
    }

    @Test
    void bytesThatComeWhileTheReaderWatchesAreReadWithoutSleeping() throws IOException {
        ReadingWatch watch = new ReadingWatch(CAP);
        FrameInput in = new FrameInput(near.input(), 1024, watch);
        send(far, 1);

        assertThat(in.read()).isZero();
        assertThat(watch.seenWhileWatching()).isEqualTo(1);
        assertThat(watch.slept()).isZero();
    }

    @Test
    void aReaderWhoseBytesComeLaterSleepsAfterItsWatchAndReadsThem() throws Exception {
        ReadingWatch watch = new ReadingWatch(CAP);
        FrameInput in = new FrameInput(near.input(), 1024, watch);
        CompletableFuture<Integer> read = readAsync(in);
        // The watch lasts 50 µs at most, then the read waits in the kernel.
        await().atMost(Duration.ofSeconds(10)).until(() -> watch.slept() == 1);
        assertThat(read).as("nothing sent yet").isNotDone();
        send(far, 1);

        assertThat(read.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(watch.slept()).isEqualTo(1);
        assertThat(watch.seenWhileWatching()).isZero();
    }

    @Test
    void theReaderOfAnIdleConnectionStopsWatching() throws Exception {
        ReadingWatch watch = new ReadingWatch(CAP);
        FrameInput in = new FrameInput(near.input(), 1024, watch);
        for (int i = 0; i < WatchDecision.SLOW_IN_A_ROW; i++) {
            long sleptBefore = watch.slept();
            CompletableFuture<Integer> read = readAsync(in);
            await().atMost(Duration.ofSeconds(10)).until(() -> watch.slept() == sleptBefore + 1);
            // The connection idle: each wait lasts far longer than the cap times
            // SLOW_CAP_MULTIPLE (1 ms), a slow one.
            Thread.sleep(20);
            send(far, 1);
            assertThat(read.get(10, TimeUnit.SECONDS)).isZero();
        }
        assertThat(watch.decision().watching()).as("waits this long: no watch catches them").isFalse();

        send(far, 1);
        assertThat(in.read()).isZero();
        assertThat(watch.seenWhileWatching()).as("bytes already there are read without a watch").isZero();
        assertThat(watch.decision().watching()).as("a short wait turns the watch back on").isTrue();
    }

    @Test
    void aCapOfZeroNeverWatches() throws IOException {
        ReadingWatch watch = new ReadingWatch(0);
        FrameInput in = new FrameInput(near.input(), 1024, watch);
        send(far, 1);
        assertThat(in.read()).isZero();
        assertThat(watch.seenWhileWatching()).isZero();
        assertThat(watch.slept()).isEqualTo(1);
    }

    @Test
    void aConnectionClosedUnderAWatchFailsTheReadThatFollows() throws IOException {
        ReadingWatch watch = new ReadingWatch(CAP);
        FrameInput in = new FrameInput(near.input(), 1024, watch);
        near.connection().close();
        assertThatThrownBy(in::read).isInstanceOf(IOException.class);
        assertThat(watch.seenWhileWatching()).isZero();
    }

    private static CompletableFuture<Integer> readAsync(FrameInput in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return in.read();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void send(StreamConnection connection, int bytes) throws IOException {
        OutputStream out = connection.output();
        out.write(new byte[bytes], 0, bytes);
        out.flush();
    }
}
