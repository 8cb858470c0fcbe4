package dev.rpcparallel.launcher.rpc;

import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameKind;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The server side of one call that is more than a request and a response: a pipe, direct pipe,
 * state or reverse pipe (or the log built-in). The endpoint answers through it; the server
 * routes the caller's credit, cancel and updates to it. Thread-safe.
 */
public final class StreamCall {
    private final long callId;
    private final String label;
    private final Consumer<Frame> sender;
    private final Runnable onFinished;
    private final FlowControl.Credits credits = new FlowControl.Credits();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicBoolean finished = new AtomicBoolean();
    private InboundStream<Object> updates;
    private volatile Function<byte[], ?> updateDecoder = bytes -> {
        throw new IllegalStateException("no decoder for the updates");
    };

    StreamCall(long callId, String label, Consumer<Frame> sender, Runnable onFinished) {
        this.callId = callId;
        this.label = label;
        this.sender = sender;
        this.onFinished = onFinished;
    }

    /**
     * Sends an element, waiting for credit from the caller.
     *
     * @throws CancellationException if the caller cancelled or the connection was lost
     */
    public void element(byte[] encoded) {
        credits.acquire();
        sender.accept(new Frame(FrameKind.ELEMENT, callId, 0, encoded));
    }

    /**
     * Sends an element without waiting for credit (a direct pipe's push).
     *
     * @return {@code false} if the call has ended
     */
    public boolean push(byte[] encoded) {
        if (finished.get()) {
            return false;
        }
        sender.accept(new Frame(FrameKind.ELEMENT, callId, 0, encoded));
        return true;
    }

    /** Ends the element stream normally. Ignored once the call has ended. */
    public void end() {
        finish(new Frame(FrameKind.END, callId, 0, Frame.noPayload()));
    }

    /** Answers the call (a reverse pipe's result). Ignored once the call has ended. */
    public void result(byte[] encoded) {
        finish(new Frame(FrameKind.RESULT, callId, 0, encoded));
    }

    /** Fails the call; ignored once it has ended (a cancelled producer's exception goes nowhere). */
    public void fail(Messages.RemoteError error) {
        finish(new Frame(FrameKind.ERROR, callId, 0, Messages.REMOTE_ERROR.encode(error)));
    }

    private void finish(Frame last) {
        if (finished.compareAndSet(false, true)) {
            sender.accept(last);
            credits.stop(new CancellationException(label + " has ended"));
            InboundStream<Object> unread;
            synchronized (this) {
                unread = updates;
            }
            if (unread != null) {
                unread.close();
            }
            closed.complete(null);
            onFinished.run();
        }
    }

    /** Whether the caller cancelled, the connection was lost, or the call has ended. */
    public boolean isCancelled() {
        return credits.isStopped();
    }

    /** Completes when the call ends, for whatever reason. */
    public CompletionStage<Void> whenClosed() {
        return closed.minimalCompletionStage();
    }

    /**
     * The caller's updates, decoded by {@code decoder}: a flow-controlled stream that gives
     * credit back to the caller as it is read. Updates that arrived before are kept for it.
     */
    @SuppressWarnings("unchecked")
    public <U> RemoteStream<U> updates(Function<byte[], U> decoder) {
        updateDecoder = decoder;
        return (RemoteStream<U>) updateStream();
    }

    private synchronized InboundStream<Object> updateStream() {
        if (updates == null) {
            updates = new InboundStream<>("the updates of " + label, bytes -> updateDecoder.apply(bytes),
                    credit -> sender.accept(new Frame(FrameKind.CREDIT, callId, 0, FlowControl.CREDIT.encode(credit))),
                    () -> { });
        }
        return updates;
    }

    // ------------------------------------------------------------ from the server's session

    void onUpdate(byte[] update) {
        updateStream().onElement(update);
    }

    void onUpdatesEnd() {
        updateStream().onEnd();
    }

    void onCredit(int credit) {
        credits.grant(credit);
    }

    void onCancel(String why) {
        stop(new CancellationException(label + " was cancelled by " + why));
        updateStream().onFailure(new CancellationException(label + " was cancelled by " + why));
    }

    void onConnectionClosed(String reason) {
        stop(new CancellationException(label + ": the connection " + reason));
        updateStream().onFailure(
                new ConnectionException("The updates of " + label + " stopped: the connection " + reason));
    }

    private void stop(CancellationException reason) {
        credits.stop(reason);
        if (finished.compareAndSet(false, true)) {
            closed.complete(null);
            onFinished.run();
        }
    }
}
