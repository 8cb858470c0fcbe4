package dev.rpcparallel.spi.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WatchDecisionTest {
    private static final long CAP = 50_000;

    @Test
    void answersThatComeWhileWatchingKeepTheWatchOnThoughParkedRoundTripsExceedTheCap() {
        // Loopback TCP on an idle machine: a caller that parks gets its answer after ~53 us (the
        // wake-up included), one that watches after ~35 us. The parked round trips must not turn
        // the watch off: it is what would shorten them.
        WatchDecision decision = new WatchDecision(CAP);
        for (int i = 0; i < 50; i++) {
            decision.answered(60_000);
        }
        WatchDecision.Watch watch = decision.next();
        assertThat(watch.budgetNanos()).as("the budget after round trips of 60 us, past the cap").isEqualTo(CAP);

        for (int i = 0; i < 200; i++) {
            WatchDecision.Watch next = decision.next();
            assertThat(next.budgetNanos()).as("watch %d", i).isPositive();
            decision.watched(next, true);
            decision.answered(35_000);
        }
        assertThat(decision.watching()).isTrue();
    }

    @Test
    void everyWatchLastsTheCapHoweverQuickTheRecentAnswersCame() {
        // Answers after 10 us, then one after 30 us (the peer held up for 20 us): a budget of
        // twice the recent mean would have slept through it and paid a wake-up; the cap sees it.
        WatchDecision decision = new WatchDecision(CAP);
        for (int i = 0; i < 100; i++) {
            WatchDecision.Watch watch = decision.next();
            assertThat(watch.budgetNanos()).as("watch %d", i).isEqualTo(CAP);
            decision.watched(watch, true);
            decision.answered(10_000);
        }
        assertThat(decision.next().budgetNanos()).as("after 100 answers in 10 us").isEqualTo(CAP);
    }

    @Test
    void oneDescheduledCallDoesNotTurnTheWatchOffForTheCallsAfterIt() {
        WatchDecision decision = new WatchDecision(CAP);
        for (int i = 0; i < 100; i++) {
            decision.answered(20_000);
        }
        decision.answered(6_000_000);
        assertThat(decision.watching()).isTrue();
        assertThat(decision.next().budgetNanos()).as("the budget right after a 6 ms round trip").isEqualTo(CAP);
    }

    @Test
    void watchesThatSeeNoAnswerTurnTheWatchOffAndProbesNowAndThenTurnItBackOn() {
        WatchDecision decision = new WatchDecision(CAP);
        int watchedBeforeOff = 0;
        while (decision.watching()) {
            WatchDecision.Watch watch = decision.next();
            assertThat(watch.budgetNanos()).isPositive();
            decision.watched(watch, false);
            decision.answered(300_000);
            watchedBeforeOff++;
        }
        assertThat(watchedBeforeOff).as("watches that saw no answer before it turned off").isBetween(3, 8);

        // Off: only probes watch, each one that sees no answer doubling the interval.
        int probes = 0;
        int lastGap = 0;
        int gap = 0;
        for (int i = 0; i < 5_000; i++) {
            WatchDecision.Watch watch = decision.next();
            gap++;
            if (watch.budgetNanos() > 0) {
                assertThat(watch.probe()).isTrue();
                assertThat(watch.budgetNanos()).as("a probe watches for the cap").isEqualTo(CAP);
                assertThat(gap).as("the interval before probe %d", probes).isGreaterThanOrEqualTo(lastGap);
                lastGap = gap;
                gap = 0;
                probes++;
                decision.watched(watch, false);
            }
            decision.answered(300_000);
        }
        assertThat(probes).as("probes in 5,000 waits whose answers come too late").isBetween(5, 20);
        assertThat(lastGap).isEqualTo(WatchDecision.LONGEST_PROBE_INTERVAL);

        // Answers come in time again: the next probe sees one, and the watch is back on.
        WatchDecision.Watch probe;
        do {
            probe = decision.next();
        } while (probe.budgetNanos() == 0);
        decision.watched(probe, true);
        decision.answered(20_000);
        assertThat(decision.watching()).isTrue();
        for (int i = 0; i < 100; i++) {
            WatchDecision.Watch watch = decision.next();
            assertThat(watch.budgetNanos()).isPositive();
            decision.watched(watch, true);
            decision.answered(20_000);
        }
        assertThat(decision.watching()).isTrue();
    }

    @Test
    void slowAnswersTurnTheWatchOffWithoutProbesUntilAQuickOne() {
        WatchDecision decision = new WatchDecision(CAP);
        long slow = (WatchDecision.SLOW_CAP_MULTIPLE + 1) * CAP;
        decision.answered(slow);
        assertThat(decision.watching()).as("after one slow answer: it may have been descheduled").isTrue();
        decision.answered(slow);
        for (int i = 0; i < 10_000; i++) {
            assertThat(decision.next().budgetNanos()).as("wait %d after slow answers", i).isZero();
            decision.answered(slow);
        }
        decision.answered(20_000);
        assertThat(decision.next().budgetNanos()).as("after a quick answer").isPositive();
    }

    @Test
    void aCapOfZeroNeverWatches() {
        WatchDecision decision = new WatchDecision(0);
        for (int i = 0; i < 1_000; i++) {
            assertThat(decision.next().budgetNanos()).isZero();
            decision.answered(10_000);
        }
    }
}
