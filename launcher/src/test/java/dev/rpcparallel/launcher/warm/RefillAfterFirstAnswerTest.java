package dev.rpcparallel.launcher.warm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which event starts a handed-over worker's replacement, with a real process standing for the worker. */
class RefillAfterFirstAnswerTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger refills = new AtomicInteger();
    private final RefillAfterFirstAnswer refill = new RefillAfterFirstAnswer(refills::incrementAndGet, timer);
    private Process worker;

    private Process sleeper() throws IOException {
        worker = new ProcessBuilder("sleep", "60").start();
        return worker;
    }

    @AfterEach
    void end() {
        if (worker != null) {
            worker.destroyForcibly();
        }
        timer.shutdownNow();
    }

    @Test
    void firstAnswerRefillsOnceAndTheQuietTimeThenNoMore() throws Exception {
        refill.handedOver("w1", sleeper());
        refill.spawnEnded("w1");
        assertThat(refills).hasValue(0);

        refill.firstAnswer("w1");
        refill.firstAnswer("w1");
        assertThat(refills).hasValue(1);
        assertThat(refill.waitingCount()).isZero();
        // The quiet timer was cancelled: nothing more after it would have run.
        await().during(RefillAfterFirstAnswer.QUIET.plusMillis(300)).atMost(RefillAfterFirstAnswer.QUIET.multipliedBy(3))
                .until(() -> refills.get() == 1);
    }

    @Test
    void withoutAnAnswerTheQuietTimeRefills() throws Exception {
        refill.handedOver("w2", sleeper());
        long ended = System.nanoTime();
        refill.spawnEnded("w2");

        await().atMost(Duration.ofSeconds(30)).until(() -> refills.get() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - ended)).isGreaterThanOrEqualTo(RefillAfterFirstAnswer.QUIET);
    }

    @Test
    void theHandedOverWorkersExitRefills() throws Exception {
        Process process = sleeper();
        refill.handedOver("w3", process);
        assertThat(refills).hasValue(0);

        process.destroyForcibly();
        await().atMost(Duration.ofSeconds(30)).until(() -> refills.get() == 1);
        refill.spawnEnded("w3"); // a spawn failing because its worker died: one more refill, harmless
        assertThat(refill.waitingCount()).isZero();
    }

    @Test
    void aSpawnThatTookNoPooledWorkerRefillsAtOnce() {
        refill.spawnEnded("cold");
        assertThat(refills).hasValue(1);
    }

    @Test
    void stoppingForgetsTheWaitingWorkers() throws Exception {
        refill.handedOver("w4", sleeper());
        refill.spawnEnded("w4");
        refill.clear();

        refill.firstAnswer("w4");
        assertThat(refills).hasValue(0);
    }
}
