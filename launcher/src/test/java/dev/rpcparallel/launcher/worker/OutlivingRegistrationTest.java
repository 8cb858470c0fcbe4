package dev.rpcparallel.launcher.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.launcher.worker.OutlivingRegistration.Verdict;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a CALLED_SHUTDOWN worker does when its master ends, by how far its registration got. */
class OutlivingRegistrationTest {

    @Test
    void aMasterGoneBeforeTheRegistrationWasSentEndsTheWorkerAndNothingIsSent() {
        OutlivingRegistration registration = new OutlivingRegistration();
        assertThat(registration.masterGone()).isEqualTo(Verdict.EXIT);
        assertThat(registration.sending()).as("may the registration still be sent").isFalse();
        assertThat(registration.masterGone()).isEqualTo(Verdict.EXIT);
    }

    @Test
    void aMasterGoneOnceTheRegistrationWasSentLeavesItToTheAnswer() {
        OutlivingRegistration registration = new OutlivingRegistration();
        assertThat(registration.sending()).isTrue();
        assertThat(registration.masterGone()).isEqualTo(Verdict.AWAIT_ANSWER);
        assertThat(registration.isAnswered()).isFalse();

        registration.answered();
        assertThat(registration.isAnswered()).isTrue();
        assertThat(registration.masterGone()).isEqualTo(Verdict.STAY);
    }

    @Test
    void aMasterGoneAfterTheAnswerLeavesTheWorkerRunning() {
        OutlivingRegistration registration = new OutlivingRegistration();
        registration.sending();
        registration.answered();
        assertThat(registration.masterGone()).isEqualTo(Verdict.STAY);
    }

    /**
     * The main thread's send and the watch's report race: either the registration goes out and
     * the answer decides, or it does not and the worker exits; never a registration sent by a
     * worker that exits at once (its spawn may have returned), nor one withheld by a worker that
     * waits for an answer that cannot come.
     */
    @Test
    void theSendAndTheMastersEndRacingDecideOneWayOrTheOther() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            int sentFirst = 0;
            int goneFirst = 0;
            for (int round = 0; round < 20_000; round++) {
                OutlivingRegistration registration = new OutlivingRegistration();
                CyclicBarrier start = new CyclicBarrier(2);
                CompletableFuture<Boolean> sent = CompletableFuture.supplyAsync(() -> {
                    await(start);
                    return registration.sending();
                }, threads);
                CompletableFuture<Verdict> verdict = CompletableFuture.supplyAsync(() -> {
                    await(start);
                    return registration.masterGone();
                }, threads);
                boolean wasSent = sent.get(10, TimeUnit.SECONDS);
                assertThat(verdict.get(10, TimeUnit.SECONDS)).as("round %d, registration sent: %s", round, wasSent)
                        .isEqualTo(wasSent ? Verdict.AWAIT_ANSWER : Verdict.EXIT);
                if (wasSent) {
                    sentFirst++;
                } else {
                    goneFirst++;
                }
            }
            System.out.printf("outliving registration races: sent first %d, master gone first %d%n", sentFirst,
                    goneFirst);
        } finally {
            threads.shutdownNow();
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
