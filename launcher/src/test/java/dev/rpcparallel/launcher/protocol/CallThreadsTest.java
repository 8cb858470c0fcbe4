package dev.rpcparallel.launcher.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallThreadsTest {

    @Test
    void aThreadHoldingASlotLendsItOutWhileItWaitsAndTakesItBackAfter() {
        List<String> events = new ArrayList<>();
        CallThreads.Slot slot = new CallThreads.Slot() {
            @Override
            public void giveUp() {
                events.add("given up");
            }

            @Override
            public void takeBack() {
                events.add("taken back");
            }
        };
        CallThreads.Slot previous = CallThreads.holdSlot(slot);
        try {
            String answer = CallThreads.whileBlocked(() -> {
                events.add("waiting");
                // A call made while waiting does not give up the slot twice.
                return CallThreads.whileBlocked(() -> "answer");
            });
            assertThat(answer).isEqualTo("answer");
        } finally {
            CallThreads.restoreSlot(previous);
        }
        assertThat(events).containsExactly("given up", "waiting", "taken back");
    }

    @Test
    void aThreadWithoutASlotJustWaits() {
        assertThat(CallThreads.whileBlocked(() -> "answer")).isEqualTo("answer");
    }

    @Test
    void theServedCallIsTheThreadsUntilRestored() {
        CallThreads.Served served = new CallThreads.Served() {
            @Override
            public boolean hasDeadline() {
                return true;
            }

            @Override
            public long deadlineNanos() {
                return 42;
            }

            @Override
            public String label() {
                return "function 'f' of worker 'w'";
            }
        };
        assertThat(CallThreads.served()).isNull();
        CallThreads.Served previous = CallThreads.enterServed(served);
        assertThat(CallThreads.served()).isSameAs(served);
        CallThreads.restoreServed(previous);
        assertThat(CallThreads.served()).isNull();
    }
}
