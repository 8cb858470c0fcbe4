package dev.rpcparallel.launcher.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.FrameHandler;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The watchdog of calls run on a reading thread costs nothing between calls that come now and
 * then, and wakes about once per limit while calls follow each other: counted in the kernel's
 * context switches of its thread ({@code /proc/self/task}).
 */
@EnabledOnOs(OS.LINUX)
class InlineCallsTest {
    /** The watchdog thread's name as the kernel keeps it: its first 15 characters. */
    private static final String WATCHDOG_COMM = "rpc-parallel-inline-call-watchdog".substring(0, 15);

    @Test
    void theWatchdogSleepsBetweenCallsThatComeNowAndThen() throws Exception {
        FrameChannel channel = new Unused();
        // The watchdog exists once a call has run inline.
        InlineCalls.start(channel, () -> "first call").finish();
        long wakeUpsBefore = await().atMost(Duration.ofSeconds(30))
                .until(InlineCallsTest::watchdogWakeUps, OptionalLong::isPresent).getAsLong();

        // A call every 200 ms for 2 s, as a master answering heartbeats: 10 calls.
        int calls = 10;
        for (int i = 0; i < calls; i++) {
            InlineCalls.start(channel, () -> "periodic call").finish();
            TimeUnit.MILLISECONDS.sleep(200); // the pace of the calls, not a wait for a state
        }
        long wakeUps = watchdogWakeUps().orElseThrow() - wakeUpsBefore;

        // Ticking every millisecond from call to call would be about 2,000 wake-ups; sleeping
        // from shortly after each call to the next is a few dozen per call at most.
        assertThat(wakeUps).as("wake-ups of the watchdog over 2 s of 10 calls").isLessThan(calls * 40L);
    }

    @Test
    void backToBackShortCallsWakeTheWatchdogAboutOncePerLimitNotEveryMillisecond() throws Exception {
        FrameChannel channel = new Unused();
        InlineCalls.start(channel, () -> "first call").finish();
        await().atMost(Duration.ofSeconds(30)).until(InlineCallsTest::watchdogWakeUps, OptionalLong::isPresent);

        // Short calls one after the other for a second, as one caller's blocking echoes: some call
        // is nearly always running, so the watchdog cannot sleep for good.
        long wakeUpsBefore = watchdogWakeUps().orElseThrow();
        long start = System.nanoTime();
        long calls = 0;
        while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1)) {
            InlineCalls.Call call = InlineCalls.start(channel, () -> "short call");
            long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(20);
            while (System.nanoTime() < until) {
                Thread.onSpinWait(); // the call's own work, 20 µs
            }
            call.finish();
            calls++;
        }
        double elapsedMillis = (System.nanoTime() - start) / 1e6;
        long wakeUps = watchdogWakeUps().orElseThrow() - wakeUpsBefore;

        // Looking every millisecond is about one wake-up per millisecond; sleeping until the
        // oldest running call reaches the 2 ms limit is at most about one per 2 ms.
        double perMillisecond = wakeUps / elapsedMillis;
        assertThat(perMillisecond).as("watchdog wake-ups per ms over %.0f ms of %d back-to-back calls", elapsedMillis, calls)
                .isLessThan(0.7);
    }

    @Test
    void theWatchdogEndsWhenIdleAndTheNextLongCallStartsAnother() throws Exception {
        InlineCalls.start(new Unused(), () -> "short call").finish();
        // The thread ends after the keep-alive; before, it parked for good and this never held.
        await().atMost(Duration.ofSeconds(30)).until(() -> !InlineCalls.watchdogRunning() && !watchdogThreadAlive());

        HandOffs channel = new HandOffs();
        InlineCalls.Call call = InlineCalls.start(channel, () -> "long call");
        // A call that outlives the limit: the new watchdog lets another thread read on.
        assertThat(channel.handedOff.await(30, TimeUnit.SECONDS)).as("reading handed off").isTrue();
        assertThat(call.finish()).as("the call's thread is still the reader").isFalse();
        assertThat(InlineCalls.watchdogRunning()).isTrue();
    }

    private static boolean watchdogThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals(InlineCalls.WATCHDOG_NAME) && thread.isAlive());
    }

    /** Counts the hand-offs of reading the watchdog asks for. */
    private static final class HandOffs implements FrameChannel {
        final java.util.concurrent.CountDownLatch handedOff = new java.util.concurrent.CountDownLatch(1);

        @Override
        public void start(FrameHandler handler) {}

        @Override
        public void send(Frame frame) {}

        @Override
        public boolean canHandOffReading() {
            return true;
        }

        @Override
        public void handOffReading() {
            handedOff.countDown();
        }

        @Override
        public void setMaxFrameSize(int bytes) {}

        @Override
        public String remoteAddress() {
            return "nowhere";
        }

        @Override
        public void close() {}
    }

    /** The voluntary context switches of the watchdog thread so far, if it runs. */
    private static OptionalLong watchdogWakeUps() throws IOException {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String comm;
                try {
                    comm = Files.readString(task.resolve("comm")).strip();
                } catch (IOException e) {
                    continue; // the thread ended
                }
                if (comm.equals(WATCHDOG_COMM)) {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            return OptionalLong.of(Long.parseLong(line.split("\\s+")[1]));
                        }
                    }
                }
            }
        }
        return OptionalLong.empty();
    }

    /** A channel the calls are charged to; a call the machine held up past the limit is handed off to nothing. */
    static final class Unused implements FrameChannel {
        @Override
        public void start(FrameHandler handler) {}

        @Override
        public void send(Frame frame) {}

        @Override
        public boolean canHandOffReading() {
            return true;
        }

        @Override
        public void handOffReading() {}

        @Override
        public void setMaxFrameSize(int bytes) {}

        @Override
        public String remoteAddress() {
            return "nowhere";
        }

        @Override
        public void close() {}
    }
}
