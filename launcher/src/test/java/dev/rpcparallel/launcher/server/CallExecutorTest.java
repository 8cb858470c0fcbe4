package dev.rpcparallel.launcher.server;

import dev.rpcparallel.launcher.protocol.CallThreads;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bounded call executor: slots, queue, cancellation and waiting callers. */
class CallExecutorTest {

    @Test
    void atMostTheSlotsRunAtOnceAndTheRestWaitInOrder() throws Exception {
        CallExecutor executor = new CallExecutor(3);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(20);
        for (int i = 0; i < 20; i++) {
            executor.execute(new CallTask(i, () -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                running.decrementAndGet();
                done.countDown();
            }, () -> {}));
        }
        org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> running.get() == 3);
        assertThat(executor.queued()).isEqualTo(17);
        assertThat(executor.tryRunHere()).isFalse();
        release.countDown();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(most.get()).isEqualTo(3);
        org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> executor.running() == 0);
        assertThat(executor.peakRunning()).isEqualTo(3);
    }

    @Test
    void aQueuedCallCancelledNeverRunsAndARunningOneIsInterrupted() throws Exception {
        CallExecutor executor = new CallExecutor(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CallTask blocking = new CallTask(1, () -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        }, () -> {});
        AtomicInteger ran = new AtomicInteger();
        AtomicInteger dropped = new AtomicInteger();
        CallTask queued = new CallTask(2, ran::incrementAndGet, dropped::incrementAndGet);
        executor.execute(blocking);
        executor.execute(queued);
        org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(blocking::isRunning);
        assertThat(executor.remove(queued)).isTrue();
        assertThat(queued.cancel()).isTrue();
        assertThat(dropped.get()).isEqualTo(1);
        assertThat(blocking.cancel()).isFalse();
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> executor.running() == 0);
        assertThat(ran.get()).isZero();
    }

    @Test
    void aCallWaitingForAnotherGivesItsSlotUpMeanwhile() throws Exception {
        CallExecutor executor = new CallExecutor(1);
        CountDownLatch inner = new CountDownLatch(1);
        CountDownLatch outerDone = new CountDownLatch(1);
        executor.execute(new CallTask(1, () -> {
            // The only slot is this call's: the inner call runs only if waiting gives it up.
            executor.execute(new CallTask(2, inner::countDown, () -> {}));
            boolean answered = CallThreads.whileBlocked(() -> {
                try {
                    return inner.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return false;
                }
            });
            if (answered) {
                outerDone.countDown();
            }
        }, () -> {}));
        assertThat(outerDone.await(20, TimeUnit.SECONDS)).isTrue();
        org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> executor.running() == 0);
    }
}
