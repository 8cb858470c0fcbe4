package dev.rpcparallel.launcher.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FlowControlTest {
    private static final int KIB = 1024;
    private static final FlowControl.Window WINDOW = new FlowControl.Window(8, 64 * KIB);

    @Test
    void aProducerStopsWhenTheByteWindowIsFullThoughElementsRemain() {
        FlowControl.Credits credits = new FlowControl.Credits(WINDOW);
        assertThat(credits.tryAcquire(40 * KIB)).isTrue();
        assertThat(credits.tryAcquire(24 * KIB)).isTrue();
        assertThat(credits.tryAcquire(1)).as("64 KiB outstanding: the window is full").isFalse();
        credits.grant(new FlowControl.Credit(1, 40 * KIB));
        assertThat(credits.tryAcquire(40 * KIB)).isTrue();
        assertThat(credits.bytesOutstanding()).isEqualTo(64 * KIB);
    }

    @Test
    void aProducerStopsWhenTheElementWindowIsFullThoughBytesRemain() {
        FlowControl.Credits credits = new FlowControl.Credits(WINDOW);
        for (int i = 0; i < 8; i++) {
            assertThat(credits.tryAcquire(1)).isTrue();
        }
        assertThat(credits.tryAcquire(1)).isFalse();
        credits.grant(new FlowControl.Credit(2, 2));
        assertThat(credits.tryAcquire(1)).isTrue();
        assertThat(credits.tryAcquire(1)).isTrue();
        assertThat(credits.tryAcquire(1)).isFalse();
    }

    @Test
    void anElementLargerThanTheWholeWindowFlowsOneAtATime() {
        FlowControl.Credits credits = new FlowControl.Credits(WINDOW);
        assertThat(credits.tryAcquire(1024 * KIB)).as("nothing outstanding: it goes").isTrue();
        assertThat(credits.tryAcquire(1024 * KIB)).as("a second waits for the first's credit").isFalse();
        assertThat(credits.tryAcquire(1)).isFalse();
        credits.grant(new FlowControl.Credit(1, 1024 * KIB));
        assertThat(credits.tryAcquire(1024 * KIB)).isTrue();
    }

    @Test
    void aLargeElementGoesBesideLessThanABatchOutstandingButNotBesideMore() {
        // A batch is a quarter of the window, 16 KiB: below it, a consumer may hold its credit back.
        FlowControl.Credits below = new FlowControl.Credits(WINDOW);
        assertThat(below.tryAcquire(16 * KIB - 1)).isTrue();
        assertThat(below.tryAcquire(60 * KIB)).isTrue();
        FlowControl.Credits atBatch = new FlowControl.Credits(WINDOW);
        assertThat(atBatch.tryAcquire(16 * KIB)).isTrue();
        assertThat(atBatch.tryAcquire(60 * KIB)).isFalse();
    }

    @Test
    void aWaitingProducerResumesWithCreditAndAStoppedOneFailsWithTheReason() throws Exception {
        FlowControl.Credits credits = new FlowControl.Credits(WINDOW);
        credits.acquire(64 * KIB);
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> credits.acquire(KIB));
        assertThatThrownBy(() -> second.get(200, TimeUnit.MILLISECONDS))
                .isInstanceOf(java.util.concurrent.TimeoutException.class);
        credits.grant(new FlowControl.Credit(1, 64 * KIB));
        second.get(30, TimeUnit.SECONDS);
        credits.acquire(63 * KIB);
        CompletableFuture<Void> third = CompletableFuture.runAsync(() -> credits.acquire(KIB));
        credits.stop(new CancellationException("pipe 'p' was cancelled by the caller"));
        assertThatThrownBy(() -> third.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(CancellationException.class)
                .hasMessageContaining("pipe 'p' was cancelled by the caller");
        assertThatThrownBy(() -> credits.tryAcquire(1)).isInstanceOf(CancellationException.class);
    }

    @Test
    void anAbsurdCreditOnlyEmptiesWhatIsOutstanding() {
        FlowControl.Credits credits = new FlowControl.Credits(WINDOW);
        credits.tryAcquire(10 * KIB);
        credits.grant(new FlowControl.Credit(Integer.MAX_VALUE, Long.MAX_VALUE));
        credits.grant(new FlowControl.Credit(-5, -5));
        assertThat(credits.bytesOutstanding()).isZero();
        for (int i = 0; i < 8; i++) {
            assertThat(credits.tryAcquire(8 * KIB)).isTrue();
        }
        assertThat(credits.tryAcquire(1)).as("the window is not widened by a large credit").isFalse();
    }

    @Test
    void aConsumerGivesCreditBackByTheBatchOfElementsOrOfBytes() {
        FlowControl.Grants grants = new FlowControl.Grants(WINDOW);
        assertThat(grants.received(KIB)).isTrue();
        assertThat(grants.consumed(1, KIB)).as("less than a batch (2 elements, 16 KiB) is held back").isNull();
        assertThat(grants.received(KIB)).isTrue();
        assertThat(grants.consumed(1, KIB)).isEqualTo(new FlowControl.Credit(2, 2 * KIB));
        assertThat(grants.bytesHeld()).isZero();
        assertThat(grants.received(20 * KIB)).isTrue();
        assertThat(grants.consumed(1, 20 * KIB)).isEqualTo(new FlowControl.Credit(1, 20 * KIB));
    }

    @Test
    void aConsumerRefusesWhatNoCreditAllowedAndCountsNothingOfIt() {
        FlowControl.Grants grants = new FlowControl.Grants(WINDOW);
        assertThat(grants.received(40 * KIB)).isTrue();
        assertThat(grants.received(24 * KIB)).isTrue();
        assertThat(grants.received(1)).isFalse();
        assertThat(grants.bytesHeld()).isEqualTo(64 * KIB);
        assertThat(grants.consumed(1, 40 * KIB)).isEqualTo(new FlowControl.Credit(1, 40 * KIB));
        assertThat(grants.received(40 * KIB)).isTrue();
    }

    @Test
    void producerAndConsumerNeverDeadlockWhateverTheElementSizes() {
        // A consumer that gives back only full batches, and a producer of mixed sizes up to twice
        // the window: each element must be sent once the consumer has taken all before it.
        java.util.Random random = new java.util.Random(42);
        FlowControl.Credits producer = new FlowControl.Credits(WINDOW);
        FlowControl.Grants consumer = new FlowControl.Grants(WINDOW);
        java.util.ArrayDeque<Integer> inFlight = new java.util.ArrayDeque<>();
        for (int i = 0; i < 100_000; i++) {
            int size = random.nextInt(4) == 0 ? random.nextInt(128 * KIB) : random.nextInt(2 * KIB);
            while (!producer.tryAcquire(size)) {
                assertThat(inFlight).as("the producer waits with nothing left to consume: a deadlock").isNotEmpty();
                int taken = inFlight.poll();
                FlowControl.Credit credit = consumer.consumed(1, taken);
                if (credit != null) {
                    producer.grant(credit);
                }
            }
            assertThat(consumer.received(size)).as("the consumer's guard agrees with the producer").isTrue();
            inFlight.add(size);
            assertThat(consumer.bytesHeld()).isLessThanOrEqualTo(Math.max(64 * KIB, 16 * KIB + size));
        }
    }

    @Test
    void aCreditSurvivesItsEncoding() {
        FlowControl.Credit credit = new FlowControl.Credit(256, 3L * Integer.MAX_VALUE);
        assertThat(FlowControl.Credit.decode(credit.encode())).isEqualTo(credit);
        assertThatThrownBy(() -> FlowControl.Credit.decode(new byte[4]))
                .hasMessage("a CREDIT payload has 12 bytes, not 4");
    }

    @Test
    void settingsGiveTheWindowsAndTheConsumerTooSlowMessageNamesTheBoundAndTheSetting() {
        StreamLimits limits = StreamLimits.of(dev.rpcparallel.api.RpcSettings.defaults()
                .withStreamWindowBytes(2 * 1024 * KIB).withDirectPipeQueueBytes(8 * 1024 * KIB));
        assertThat(limits.window()).isEqualTo(new FlowControl.Window(1024, 2 * 1024 * KIB));
        assertThat(limits.directPipe().bytes()).isEqualTo(8 * 1024 * KIB);
        assertThat(limits.consumerTooSlow("direct pipe 'flood' of worker 'w'", 8_000_000, 1_048_576))
                .startsWith("direct pipe 'flood' of worker 'w' failed, consumer too slow: 8000000 bytes were pushed")
                .contains("the bound of 8388608 bytes (directPipeQueueBytes)",
                        "RPC_PARALLEL_SETTINGS=directPipeQueueBytes=");
    }
}
