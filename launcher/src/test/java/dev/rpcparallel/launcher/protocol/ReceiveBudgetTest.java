package dev.rpcparallel.launcher.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameKind;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The receive budget: who waits, who does not, and what is refused. */
class ReceiveBudgetTest {

    @Test
    void aReservationOverTheBudgetWaitsUntilBytesAreReleased() throws Exception {
        ReceiveBudget budget = new ReceiveBudget(100, false);
        assertThat(budget.reserveWhole(70, false, () -> true, () -> {})).isTrue();
        AtomicInteger flushes = new AtomicInteger();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return budget.reserveWhole(40, false, () -> true, flushes::incrementAndGet);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> flushes.get() == 1);
        assertThat(waiting).isNotDone();
        budget.release(70);
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(budget.reserved()).isEqualTo(40);
        assertThat(budget.peak()).isEqualTo(70);
    }

    @Test
    void aReservationAloneAlwaysGetsInAndAWaitEndsWhenTheConnectionCloses() throws Exception {
        ReceiveBudget budget = new ReceiveBudget(100, false);
        assertThat(budget.reservePartial(100, () -> true, () -> {})).isTrue();
        budget.joined(100);
        AtomicBoolean open = new AtomicBoolean(true);
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return budget.reserveWhole(1, false, open::get, () -> {});
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        open.set(false);
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(budget.reserved()).isEqualTo(100);
    }

    @Test
    void aConnectionWithAPartialPayloadReadsOnWhenOnlyPartialBytesAreHeld() throws Exception {
        ReceiveBudget budget = new ReceiveBudget(100, false);
        assertThat(budget.reservePartial(90, () -> true, () -> {})).isTrue();
        // Only partial bytes are held: waiting could never end, since they become whole only by
        // reading on; the small frame gets in over the budget.
        assertThat(budget.reserveWhole(20, true, () -> false, () -> {})).isTrue();
        // Now whole bytes are held too (they are released when their call has run): it waits.
        assertThat(budget.reserveWhole(20, true, () -> false, () -> {})).isFalse();
        // A connection without a partial payload waits (here: until it closes).
        budget.release(20);
        assertThat(budget.reserveWhole(20, false, () -> false, () -> {})).isFalse();
    }

    @Test
    void aPayloadLargerThanTheWholeBudgetIsReadThroughAndRefusedAtItsLastPiece() throws Exception {
        ReceiveBudget budget = new ReceiveBudget(1000, false);
        FrameAssembler assembler = new FrameAssembler(1 << 20, budget, () -> true, () -> {});
        assertThat(assembler.accept(FrameKind.CHUNK, 7, 1500, new byte[600], 0, 600)).isNull();
        assertThat(budget.reserved()).isZero();
        assertThat(assembler.accept(FrameKind.CHUNK, 7, 1500, new byte[600], 0, 600)).isNull();
        assertThatThrownBy(() -> assembler.accept(FrameKind.CALL, 7, 3, new byte[300], 0, 300))
                .isInstanceOfSatisfying(FrameAssembler.OverBudget.class, e -> {
                    assertThat(e.callId()).isEqualTo(7);
                    assertThat(e.functionId()).isEqualTo(3);
                    assertThat(e.size()).isEqualTo(1500);
                })
                .hasMessage("the CALL payload of call 7 (1500 bytes) is larger than the whole receive budget of 1000 bytes");
        assertThat(budget.refusal("its encoded argument", 1500, "worker 'w'"))
                .startsWith("its encoded argument is 1500 bytes, more than the whole receive budget of 1000 bytes of"
                        + " worker 'w' (process ")
                .endsWith("set by RpcSettings.receiveBudget): raise RpcSettings.receiveBudget (withReceiveBudget, or"
                        + " receiveBudget= in RPC_PARALLEL_SETTINGS) or the receiver's heap (-Xmx), or send less at once");
        // The connection goes on: the next payload is joined and reserved.
        assertThat(assembler.accept(FrameKind.CHUNK, 8, 900, new byte[500], 0, 500)).isNull();
        assertThat(budget.reserved()).isEqualTo(900);
        assertThat(assembler.hasPartial()).isTrue();
        Frame joined = assembler.accept(FrameKind.CALL, 8, 3, new byte[400], 0, 400);
        assertThat(joined.payload()).hasSize(900);
        assertThat(assembler.hasPartial()).isFalse();
        // Joined bytes are the caller's to release.
        assertThat(budget.reserved()).isEqualTo(900);
        budget.release(900);
        // A payload cut short by a closed connection gives its bytes back.
        assertThat(assembler.accept(FrameKind.CHUNK, 9, 800, new byte[100], 0, 100)).isNull();
        assembler.close();
        assertThat(budget.reserved()).isZero();
    }
}
