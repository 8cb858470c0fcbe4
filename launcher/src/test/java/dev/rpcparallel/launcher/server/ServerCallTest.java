package dev.rpcparallel.launcher.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.launcher.protocol.FlowControl;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A served call's cancellation, as the thread running it sees it. */
class ServerCallTest {

    /**
     * A producer blocked for credit is woken both by its stream's stop and by the interrupt of
     * its thread. The stream stops first, so whichever wakes it, the producer sees the
     * cancellation itself ({@code isCancelled()} true), never an anonymous interrupt.
     */
    @Test
    void aCancelStopsTheStreamBeforeItInterruptsTheRunningThread() throws Exception {
        ServerCall call = new ServerCall(7, () -> "pipe 'endless'", -1);
        FlowControl.Credits credits = new FlowControl.Credits(new FlowControl.Window(1, 1024));
        CompletableFuture<Boolean> interruptedBeforeTheStop = new CompletableFuture<>();
        CompletableFuture<Throwable> producerSaw = new CompletableFuture<>();
        CountDownLatch waiting = new CountDownLatch(1);
        Thread producer = new Thread(() -> {
            try (ServerCall.Running running = call.enter()) {
                credits.acquire(10);
                waiting.countDown();
                credits.acquire(10); // over the window of one element: waits
                producerSaw.complete(null);
            } catch (CancellationException e) {
                producerSaw.complete(e);
            }
        });
        call.onCancel(() -> {
            interruptedBeforeTheStop.complete(producer.isInterrupted());
            credits.stop(new CancellationException("pipe 'endless' was cancelled by the caller"));
        });
        producer.start();
        assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();

        call.cancel("the caller");

        assertThat(interruptedBeforeTheStop.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(producerSaw.get(10, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class)
                .hasMessage("pipe 'endless' was cancelled by the caller");
        assertThat(call.isCancelled()).isTrue();
        producer.join(10_000);
        assertThat(producer.isAlive()).isFalse();
    }
}
