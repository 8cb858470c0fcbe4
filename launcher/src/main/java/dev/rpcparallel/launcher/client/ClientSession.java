package dev.rpcparallel.launcher.client;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.protocol.DeadlineTimer;
import dev.rpcparallel.launcher.protocol.FrameWriter;
import dev.rpcparallel.launcher.protocol.Payloads;
import dev.rpcparallel.launcher.protocol.ReadingThreads;
import dev.rpcparallel.launcher.protocol.ServerRole;
import dev.rpcparallel.launcher.protocol.StreamLimits;
import dev.rpcparallel.launcher.protocol.WriterCallbacks;
import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.FrameHandler;
import dev.rpcparallel.spi.transport.FrameKind;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The client side of one connection, below its calls: the multiplexer (call ids, pending calls
 * and streams, the {@link FrameWriter}) and the demultiplexer (the channel's only
 * {@link FrameHandler}: frames go from the transport through the {@link AnswerReceiver} straight
 * to their call). Until the handshake has opened it, frames go to the handshake's inbox. Calls may
 * be started from any thread; answers complete on the channel's reading thread.
 */
final class ClientSession implements FrameHandler, ReadingThreads.Reader {
    private static final byte[] NO_HEAD = new byte[0];

    private final FrameChannel channel;
    /** Replaced when a deferred link is opened: it was authenticated to the worker's pool id. */
    private volatile WorkerRef worker;
    private final ClientErrors errors;
    private final CallTable table;
    private final AtomicLong nextCallId = new AtomicLong();
    /** How the blocking waits for this connection's answers start. */
    private final LoneCallerWait loneCallerWait = new LoneCallerWait();
    /** The handshake's frames, or the cause of the loss, until the session is open. */
    private final BlockingQueue<Object> handshakeInbox = new LinkedBlockingQueue<>();
    private volatile FrameWriter writer;
    /** Set when the session opens; used by the reading thread, and on close. */
    private AnswerReceiver answers;
    private volatile boolean ready;
    /** The channel's reading thread, which must never block writing to the socket. */
    private volatile Thread reader;
    private volatile String closedReason;
    private volatile Supplier<Optional<String>> lossExplainer = ClientSessionHooks.NO_EXPLANATION;
    /** The memory bounds of this connection's streams, from its settings; set when it opens. */
    private volatile StreamLimits streamLimits;
    /** The settings' default call timeout, or {@code null}; set when the connection opens. */
    private volatile Duration defaultCallTimeout;

    ClientSession(WorkerRef worker, ServerRole role, FrameChannel channel) {
        this.worker = worker;
        this.channel = channel;
        this.errors = new ClientErrors(new ClientSessionHooks.Worker(this), role);
        this.table = new CallTable(errors);
    }

    // ---------------------------------------------------------------- lifecycle

    FrameChannel channel() {
        return channel;
    }

    WorkerRef worker() {
        return worker;
    }

    void worker(WorkerRef assigned) {
        this.worker = requireNonNull(assigned, "assigned");
    }

    BlockingQueue<Object> handshakeInbox() {
        return handshakeInbox;
    }

    /** The handshake is done: calls can be made from now on. */
    void open(RpcSettings settings) {
        channel.setMaxFrameSize(FrameWriter.maxFrameSize(settings.maxMessageSize()));
        FrameWriter frames = new FrameWriter(channel, settings.maxMessageSize(), "rpc-parallel-write-" + worker.name());
        writer = frames;
        frames.readBy(reader); // the reader may have started during the handshake
        streamLimits = StreamLimits.of(settings);
        defaultCallTimeout = settings.defaultCallTimeout();
        answers = new AnswerReceiver(settings, table, new ClientSessionHooks.Open(this),
                WriterCallbacks.requestFlush(frames), new ClientSessionHooks.Worker(this),
                new ClientSessionHooks.Abort(this));
        ready = true;
    }

    boolean isOpen() {
        return ready && closedReason == null;
    }

    /** Why the connection ended ({@code "was closed"}, ...), or {@code null} while it lasts. */
    String closedReason() {
        return closedReason;
    }

    StreamLimits streamLimits() {
        return streamLimits;
    }

    Duration defaultCallTimeout() {
        return defaultCallTimeout;
    }

    long nextCallId() {
        return nextCallId.incrementAndGet();
    }

    void explainLossWith(Supplier<Optional<String>> explainer) {
        this.lossExplainer = requireNonNull(explainer, "explainer");
    }

    void close() {
        FrameWriter frames = writer;
        if (frames != null && closedReason == null) {
            // What was sent (one-way calls, a stream's end) goes out before the close.
            frames.drain(2_000);
        }
        if (closedReason == null) {
            closedReason = "was closed";
        }
        channel.close();
    }

    /** Closes the channel now, with this reason for what was pending. */
    void abort(String reason) {
        closedReason = reason;
        channel.close();
    }

    // ---------------------------------------------------------------- calls

    /** Sends a call; {@code deadline} is {@code null} for none. Cancelling the future cancels the call. */
    CallFuture<byte[]> startCall(int functionId, byte[] arg, String functionLabel, CallDeadline deadline) {
        return startCall(functionId, NO_HEAD, arg, functionLabel, deadline);
    }

    /**
     * As {@link #startCall(int, byte[], String, CallDeadline)}, for an argument that goes out as
     * {@code head} and then {@code arg}'s own array, without a copy (a large {@code byte[]}:
     * {@link dev.rpcparallel.launcher.protocol.BinaryPayloads}).
     */
    CallFuture<byte[]> startCall(int functionId, byte[] head, byte[] arg, String functionLabel, CallDeadline deadline) {
        String reason = closedReason;
        if (reason != null || !ready) {
            CallFuture<byte[]> failed = new CallFuture<>(null);
            failed.completeExceptionally(errors.closed(functionLabel, reason == null ? "it is not open" : reason));
            return failed;
        }
        long callId = nextCallId.incrementAndGet();
        CallFuture<byte[]> future = new CallFuture<>(new ClientSessionHooks.Abandon(this, callId), loneCallerWait);
        if (deadline != null && deadline.remainingNanos() <= 0) {
            future.completeExceptionally(deadline.exceeded(functionLabel, worker.name()));
            return future;
        }
        PendingCall pendingCall = new PendingCall(future, functionLabel);
        table.addCall(callId, pendingCall);
        // Closing may have raced with the put: onClosed drains after setting the reason.
        if (closedReason != null) {
            table.fail(callId, closedReason);
            return future;
        }
        if (deadline != null) {
            pendingCall.expireAt(deadline, () -> expire(callId, deadline));
        }
        try {
            sendCall(callId, functionId, head, arg, deadline);
        } catch (IOException e) {
            failAfterSendFailure(callId);
        } catch (RuntimeException e) {
            PendingCall call = table.removeCall(callId);
            if (call != null) {
                call.ended();
                call.future().completeExceptionally(e instanceof IllegalArgumentException tooBig
                        ? errors.tooLarge(functionLabel, tooBig)
                        : errors.closed(functionLabel, "sending failed: " + e));
            }
        }
        return future;
    }

    /**
     * Registers a stream and sends its call; the stream is failed if the connection is closed,
     * or when its deadline ({@code null} for none) passes.
     */
    void start(long callId, int functionId, byte[] arg, ClientStream stream, CallDeadline deadline) {
        String reason = closedReason;
        if (reason != null || !ready) {
            throw errors.closed(stream.label, reason == null ? "it is not open" : reason);
        }
        if (deadline != null && deadline.remainingNanos() <= 0) {
            throw deadline.exceeded(stream.label, worker.name());
        }
        table.addStream(callId, stream);
        if (closedReason != null) {
            table.fail(callId, closedReason);
            return;
        }
        if (deadline != null) {
            stream.expiry = DeadlineTimer.at(deadline.atNanos(), () -> {
                if (table.endStream(callId, stream)) {
                    sendQuietly(new Frame(FrameKind.CANCEL, callId, 0, Frame.noPayload()));
                    stream.fail(deadline.exceeded(stream.label, worker.name()));
                }
            });
        }
        try {
            sendCall(callId, functionId, NO_HEAD, arg, deadline);
        } catch (IOException e) {
            failAfterSendFailure(callId);
        } catch (IllegalArgumentException e) {
            table.endStream(callId);
            throw errors.tooLarge(stream.label, e);
        }
    }

    /** Sends a call no answer comes back for. */
    void sendOneWay(int functionId, byte[] arg, String label) {
        String reason = closedReason;
        if (reason != null || !ready) {
            throw errors.closed(label, reason == null ? "it is not open" : reason);
        }
        try {
            writer.send(new Frame(FrameKind.CALL, nextCallId.incrementAndGet(), functionId, arg));
        } catch (IOException e) {
            throw errors.closed(label, "sending failed: " + e);
        } catch (IllegalArgumentException e) {
            throw errors.tooLarge(label, e);
        }
    }

    /**
     * Sends a call, after its {@code DEADLINE} frame if it has a deadline.
     *
     * @throws IllegalArgumentException if the call is too large to send (a deadline sent is
     *     withdrawn)
     */
    private void sendCall(long callId, int functionId, byte[] head, byte[] arg, CallDeadline deadline)
            throws IOException {
        if (deadline != null) {
            writer.sendLeading(new Frame(FrameKind.DEADLINE, callId, 0, deadline.encodeRemaining()));
        }
        try {
            Frame call = new Frame(FrameKind.CALL, callId, functionId, arg);
            if (head.length == 0) {
                writer.send(call);
            } else {
                writer.send(call, head);
            }
        } catch (IllegalArgumentException e) {
            if (deadline != null) {
                // The deadline went out, the call did not: the worker forgets it.
                sendQuietly(new Frame(FrameKind.CANCEL, callId, 0, Frame.noPayload()));
            }
            throw e;
        }
    }

    /** Sends a stream's control frame (credit, cancel, update); a failure closes the connection. */
    void sendQuietly(Frame frame) {
        try {
            writer.send(frame);
        } catch (IOException e) {
            // The connection is closed: its handler fails the stream.
        }
    }

    /** Tells the worker to cancel the call {@code callId}. */
    void cancel(long callId) {
        sendQuietly(new Frame(FrameKind.CANCEL, callId, 0, Frame.noPayload()));
    }

    /** The caller cancelled the call {@code callId}: the worker is told, the answer will be dropped. */
    void abandon(long callId) {
        PendingCall call = table.removeCall(callId);
        if (call != null) {
            call.ended();
            cancel(callId);
        }
    }

    /** The deadline of the call {@code callId} passed: it fails, and the worker is told to cancel it. */
    private void expire(long callId, CallDeadline deadline) {
        PendingCall call = table.removeCall(callId);
        if (call != null) {
            cancel(callId);
            call.future().completeExceptionally(deadline.exceeded(call.functionLabel(), worker.name()));
        }
    }

    /**
     * A send found the connection closed or broken. The channel is closed by then, and its loss
     * ({@link #onClosed}) fails every pending call with how the worker ended (its exit status,
     * such as a signal), which a write error cannot tell. So the call stays pending for that,
     * unless the loss was already handled before the call was registered.
     */
    private void failAfterSendFailure(long callId) {
        String reason = closedReason;
        if (reason != null) {
            table.fail(callId, reason);
        }
    }

    /** The calls and streams in progress. */
    CallTable calls() {
        return table;
    }

    ClientErrors errors() {
        return errors;
    }

    // ---------------------------------------------------------------- frames in

    @Override
    public void handOffReading() {
        if (!channel.canHandOffReading()) {
            throw new IllegalStateException("A blocking call was made on the reading thread of the connection to"
                    + " worker '" + worker.name() + "' at " + worker.address() + ", whose transport cannot hand reading"
                    + " over to another thread: it would wait forever for an answer that only this thread can read."
                    + " Do not block in a future's dependent stage or a direct-pipe callback: use callAsync with"
                    + " thenCompose, or give the stage an executor (thenApplyAsync)");
        }
        reader = null; // before the new reader starts: it sets itself on its first frame
        FrameWriter frames = writer;
        if (frames != null) {
            frames.readBy(null);
        }
        channel.handOffReading();
    }

    private void readingHere() {
        if (reader == null) {
            Thread thread = Thread.currentThread();
            reader = thread;
            FrameWriter frames = writer;
            if (frames != null) {
                frames.readBy(thread);
            }
            ReadingThreads.reading(this);
        }
    }

    @Override
    public void onFrame(Frame received) {
        readingHere();
        if (!ready) {
            handshakeInbox.add(received);
            return;
        }
        byte[] payload = received.payload();
        answers.receive(received.kind(), received.callId(), received.functionId(), payload, 0, payload.length,
                received);
    }

    /**
     * A frame whose payload is a slice of the channel's read buffer: a piece of a larger payload
     * is copied straight into the payload being joined; anything else is copied into a frame.
     */
    @Override
    public void onFrame(FrameKind kind, long callId, int functionId, byte[] buffer, int offset, int length) {
        readingHere();
        if (!ready) {
            handshakeInbox.add(Payloads.frame(kind, callId, functionId, buffer, offset, length));
            return;
        }
        answers.receive(kind, callId, functionId, buffer, offset, length, null);
    }

    @Override
    public void onClosed(Throwable cause) {
        String reason = errors.closure(cause, lossExplainer.get());
        if (closedReason == null) {
            closedReason = reason;
        }
        if (!ready) {
            handshakeInbox.add(cause == null ? new EOFException("closed") : cause);
        }
        table.failAll(closedReason);
        AnswerReceiver receiver = answers;
        if (receiver != null) {
            receiver.close();
        }
        FrameWriter frames = writer;
        if (frames != null) {
            frames.close();
        }
    }
}
