package dev.rpcparallel.launcher.client;

import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.protocol.FrameAssembler;
import dev.rpcparallel.launcher.protocol.Payloads;
import dev.rpcparallel.launcher.protocol.ReceiveBudget;
import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameKind;
import java.net.ProtocolException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The frames of an open client session on their way in: the pieces of a large payload are joined
 * (within this process's receive budget for answers), and every whole frame goes to its call or
 * stream in the {@link CallTable}. A payload over the budget fails its call with the budget's
 * refusal; a broken sequence of pieces aborts the session. Used by the channel's reading thread,
 * except {@link #close}.
 */
final class AnswerReceiver {
    private final FrameAssembler assembler;
    private final CallTable table;
    private final Supplier<WorkerRef> worker;
    private final Consumer<String> abort;

    /**
     * @param open whether the session still lasts: pieces wait for budget only while it does
     * @param requestFlush asks the session's writer to flush (credit for the pieces goes out)
     * @param abort closes the session with the reason given
     */
    AnswerReceiver(RpcSettings settings, CallTable table, BooleanSupplier open, Runnable requestFlush,
            Supplier<WorkerRef> worker, Consumer<String> abort) {
        this.assembler = new FrameAssembler(settings.maxMessageSize(), ReceiveBudget.forAnswers(settings), open,
                requestFlush);
        this.table = table;
        this.worker = worker;
        this.abort = abort;
    }

    /**
     * Takes one frame; {@code whole} is the frame itself when its payload is not a slice of the
     * channel's read buffer, else {@code null} (a piece is then copied straight into the payload
     * being joined; anything else is copied into a frame).
     */
    void receive(FrameKind kind, long callId, int functionId, byte[] buffer, int offset, int length, Frame whole) {
        if (!assembler.joins(kind, callId)) {
            table.deliver(whole != null ? whole : Payloads.frame(kind, callId, functionId, buffer, offset, length));
            return;
        }
        Frame frame;
        try {
            frame = assembler.accept(kind, callId, functionId, buffer, offset, length);
        } catch (ProtocolException e) {
            abort.accept("was closed: " + e.getMessage());
            return;
        } catch (FrameAssembler.OverBudget e) {
            String refusal = assembler.budget().refusal("it", e.size(), "this process");
            table.failOverBudget(e.callId(), what -> "Cannot receive " + what + " from worker '" + worker.get().name()
                    + "': " + refusal);
            return;
        }
        if (frame != null) {
            try {
                table.deliver(frame);
            } finally {
                // Delivered: the bytes are the caller's now, no longer in flight.
                assembler.budget().release(frame.payload().length);
            }
        }
    }

    /** The session ended: payloads being joined are dropped, and their budget given back. */
    void close() {
        assembler.close();
    }
}
