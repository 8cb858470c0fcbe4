package dev.rpcparallel.launcher.server;

import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.launcher.logging.WorkerLogs;
import dev.rpcparallel.launcher.protocol.FlowControl;
import dev.rpcparallel.launcher.protocol.InboundStream;
import dev.rpcparallel.launcher.protocol.Messages;
import dev.rpcparallel.launcher.protocol.StreamLimits;
import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameKind;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The server side of one call that is more than a request and a response: a pipe, direct pipe,
 * state or reverse pipe (or the log built-in). The endpoint answers through it; the server
 * routes the caller's credit, cancel and updates to it. Thread-safe.
 */
public final class StreamCall implements WorkerLogs.Subscription {
    /** Its logger, made at the first message: a process that never logs never starts Log4j. */
    private static final class Log {
        static final Logger LOG = LogManager.getLogger(StreamCall.class);
    }

    private final long callId;
    private final String label;
    private final Consumer<Frame> sender;
    private final Runnable onFinished;
    private final StreamLimits limits;
    /** A pipe's or state's credit from the caller. */
    private final FlowControl.Credits credits;
    /** A direct pipe's pushed bytes that the caller's callback has not yet taken. */
    private final FlowControl.Credits pushed;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicBoolean finished = new AtomicBoolean();
    private InboundStream<Object> updates;
    private volatile Function<byte[], ?> updateDecoder = bytes -> {
        throw new IllegalStateException("no decoder for the updates");
    };

    StreamCall(long callId, String label, StreamLimits limits, Consumer<Frame> sender, Runnable onFinished) {
        this.callId = callId;
        this.label = label;
        this.limits = limits;
        this.sender = sender;
        this.onFinished = onFinished;
        this.credits = new FlowControl.Credits(limits.window());
        this.pushed = new FlowControl.Credits(limits.directPipe());
    }

    /**
     * Sends an element, waiting for credit from the caller.
     *
     * @throws CancellationException if the caller cancelled or the connection was lost
     */
    public void element(byte[] encoded) {
        credits.acquire(encoded.length);
        sender.accept(new Frame(FrameKind.ELEMENT, callId, 0, encoded));
    }

    /**
     * Sends an element without waiting for credit (a direct pipe's push). If it does not fit in
     * the direct pipe's bound beside what the caller's callback has not yet taken, the pipe fails
     * on both sides as "consumer too slow" instead.
     *
     * @return {@code false} if the call has ended (or just failed), and the element was dropped
     */
    public boolean push(byte[] encoded) {
        if (finished.get()) {
            return false;
        }
        boolean fits;
        try {
            fits = pushed.tryAcquire(encoded.length);
        } catch (CancellationException stopped) {
            return false;
        }
        if (!fits) {
            String why = limits.consumerTooSlow(label, pushed.bytesOutstanding(), encoded.length);
            if (finish(new Frame(FrameKind.ERROR, callId, 0,
                    Messages.REMOTE_ERROR.encode(Messages.RemoteError.limit(why))))) {
                Log.LOG.warn("{}", why);
            }
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

    /** Sends the call's last frame and ends it; false if it had already ended. */
    private boolean finish(Frame last) {
        if (finished.compareAndSet(false, true)) {
            sender.accept(last);
            credits.stop(new CancellationException(label + " has ended"));
            pushed.stop(new CancellationException(label + " has ended"));
            InboundStream<Object> unread;
            synchronized (this) {
                unread = updates;
            }
            if (unread != null) {
                unread.close();
            }
            closed.complete(null);
            onFinished.run();
            return true;
        }
        return false;
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
            updates = new InboundStream<>("the updates of " + label, limits.window(),
                    bytes -> updateDecoder.apply(bytes),
                    credit -> sender.accept(new Frame(FrameKind.CREDIT, callId, 0, credit.encode())),
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

    /** The caller's credit: a pipe's or state's, or a direct pipe's acknowledgement of what its callback took. */
    void onCredit(byte[] payload) {
        FlowControl.Credit credit = FlowControl.Credit.decode(payload);
        credits.grant(credit);
        pushed.grant(credit);
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
        pushed.stop(reason);
        if (finished.compareAndSet(false, true)) {
            closed.complete(null);
            onFinished.run();
        }
    }
}
