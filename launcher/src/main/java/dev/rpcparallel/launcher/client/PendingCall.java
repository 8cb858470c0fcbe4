package dev.rpcparallel.launcher.client;

import dev.rpcparallel.launcher.protocol.DeadlineTimer;
import java.util.concurrent.ScheduledFuture;

/** A call of a {@link ClientConnection} waiting for its answer, and the watch on its deadline, if any. */
final class PendingCall {
    private final CallFuture<byte[]> future;
    private final String functionLabel;
    private volatile ScheduledFuture<?> expiry;

    PendingCall(CallFuture<byte[]> future, String functionLabel) {
        this.future = future;
        this.functionLabel = functionLabel;
    }

    CallFuture<byte[]> future() {
        return future;
    }

    /** What is called: {@code "function 'f'"}. */
    String functionLabel() {
        return functionLabel;
    }

    /** Watches the deadline: {@code onExpiry} runs when it passes, unless the call has ended. */
    void expireAt(CallDeadline deadline, Runnable onExpiry) {
        expiry = DeadlineTimer.at(deadline.atNanos(), onExpiry);
    }

    /** The call has ended: its deadline needs no watching. */
    PendingCall ended() {
        ScheduledFuture<?> timer = expiry;
        if (timer != null) {
            timer.cancel(false);
        }
        return this;
    }
}
