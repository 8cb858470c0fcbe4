package dev.rpcparallel.launcher.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.spi.transport.WatchDecision;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoneCallerWaitTest {

    @Test
    void aLoneCallerWatchesItsFutureForABoundedTimeAndThenIsReadyToPark() {
        LoneCallerWait wait = new LoneCallerWait();
        CompletableFuture<String> never = new CompletableFuture<>();
        long start = System.nanoTime();
        LoneCallerWait.Waiter waiter = wait.begin(never, Long.MAX_VALUE);
        long watched = System.nanoTime() - start;
        waiter.end(never, start);

        assertThat(wait.parkedAfterWatching()).isEqualTo(1);
        assertThat(wait.answeredWhileWatching()).isZero();
        // The budget is tens of microseconds; a loaded machine may deschedule the watcher, not for this long.
        assertThat(TimeUnit.NANOSECONDS.toMillis(watched)).as("ms watched").isLessThan(500);
    }

    @Test
    void aSecondCallerBlockedOnTheConnectionDoesNotWatch() {
        LoneCallerWait wait = new LoneCallerWait();
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> second = new CompletableFuture<>();
        LoneCallerWait.Waiter firstWaiter = wait.begin(first, Long.MAX_VALUE);
        assertThat(wait.parkedAfterWatching()).as("the first, lone, watched").isEqualTo(1);

        LoneCallerWait.Waiter secondWaiter = wait.begin(second, Long.MAX_VALUE);
        assertThat(wait.parkedAfterWatching()).as("the second parks at once, without a watch").isEqualTo(1);
        assertThat(secondWaiter.isLone()).isFalse();

        secondWaiter.end(second, 0);
        firstWaiter.end(first, 0);
        LoneCallerWait.Waiter third = wait.begin(new CompletableFuture<>(), Long.MAX_VALUE);
        assertThat(third.isLone()).as("alone again once the others are done").isTrue();
        assertThat(wait.parkedAfterWatching()).isEqualTo(2);
    }

    @Test
    void anAnswerAlreadyThereEndsTheWatchAsAnswered() {
        LoneCallerWait wait = new LoneCallerWait();
        CompletableFuture<String> answered = CompletableFuture.completedFuture("answer");
        wait.begin(answered, Long.MAX_VALUE).end(answered, System.nanoTime());
        assertThat(wait.answeredWhileWatching()).isEqualTo(1);
        assertThat(wait.parkedAfterWatching()).isZero();
    }

    @Test
    void anInterruptedCallerStopsWatchingAndKeepsItsInterrupt() {
        LoneCallerWait wait = new LoneCallerWait();
        CompletableFuture<String> never = new CompletableFuture<>();
        Thread.currentThread().interrupt();
        try {
            wait.begin(never, Long.MAX_VALUE).end(never, 0);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(wait.parkedAfterWatching()).isEqualTo(1);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aWaitWithATimeoutShorterThanTheBudgetWatchesNoLonger() {
        LoneCallerWait wait = new LoneCallerWait();
        CompletableFuture<String> never = new CompletableFuture<>();
        wait.begin(never, 0).end(never, 0);
        assertThat(wait.parkedAfterWatching()).isEqualTo(1);
    }

    @Test
    void aLoneCallAnsweredIsTakenIntoTheRecentRoundTrips() {
        LoneCallerWait wait = new LoneCallerWait(50_000);
        CompletableFuture<String> answered = CompletableFuture.completedFuture("answer");
        for (int i = 0; i < WatchDecision.SLOW_IN_A_ROW; i++) {
            wait.begin(answered, Long.MAX_VALUE).end(answered, System.nanoTime() - 5_000_000);
        }
        assertThat(wait.decision().watching()).as("after 5 ms round trips, 100 times the cap").isFalse();
    }

    @Test
    void aWatchThatSeesNoAnswerCountsAgainstWatchingButOneCutShortByATimeoutDoesNot() {
        LoneCallerWait wait = new LoneCallerWait(20_000);
        for (int i = 0; i < 20; i++) {
            CompletableFuture<String> never = new CompletableFuture<>();
            wait.begin(never, 1_000).end(never, 0); // the wait's own 1 us limit ends each watch
        }
        assertThat(wait.decision().watching()).as("after watches cut short by their timeouts").isTrue();

        for (int i = 0; i < 20; i++) {
            CompletableFuture<String> never = new CompletableFuture<>();
            wait.begin(never, Long.MAX_VALUE).end(never, 0);
        }
        assertThat(wait.decision().watching()).as("after 20 watches that saw no answer").isFalse();
    }

    @Test
    void aCapOfZeroParksAtOnce() {
        LoneCallerWait wait = new LoneCallerWait(0);
        CompletableFuture<String> never = new CompletableFuture<>();
        long start = System.nanoTime();
        wait.begin(never, Long.MAX_VALUE).end(never, start);
        assertThat(wait.parkedAfterWatching()).isEqualTo(1);
        assertThat(wait.decision().next().budgetNanos()).isZero();
    }
}
