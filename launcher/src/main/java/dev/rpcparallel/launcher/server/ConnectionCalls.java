package dev.rpcparallel.launcher.server;

import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.launcher.protocol.BinaryPayloads;
import dev.rpcparallel.launcher.protocol.FrameWriter;
import dev.rpcparallel.launcher.protocol.MessageSizeException;
import dev.rpcparallel.launcher.protocol.Messages;
import dev.rpcparallel.launcher.protocol.ReceiveBudget;
import dev.rpcparallel.launcher.protocol.WriterCallbacks;
import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.FrameKind;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The calls (rpc and one-way) of one server connection: each argument is held in the process's
 * {@link ReceiveBudget} from its arrival until the call's answer has been written (a one-way
 * call: until it has run), and each call runs through the process's {@link CallExecutor}. An rpc
 * call runs on the connection's reading thread when a slot is free and no call waits for one (no
 * thread hand-off; {@link InlineCalls} lets another thread read on if it runs long), otherwise
 * on a pool thread once a slot frees. Every call queued or running has a {@link CallTask}, found
 * by call id ({@link #task}), to cancel it.
 *
 * <p>Used by the connection's reading thread, except the tasks, which run and answer on
 * whatever thread runs them.
 */
final class ConnectionCalls {
    /** Its logger, made at the first message: a process that never logs never starts Log4j. */
    private static final class Log {
        static final Logger LOG = LogManager.getLogger(ConnectionCalls.class);
    }
    private static final byte[] NO_HEAD = new byte[0];

    private final ReceiveBudget budget;
    private final CallExecutor executor;
    private final FrameChannel channel;
    private final FrameWriter writer;
    private final Supplier<String> serverName;
    private final BooleanSupplier open;
    private final Map<Long, CallTask> tasks = new ConcurrentHashMap<>();
    private final Runnable requestFlush;

    /**
     * @param serverName who serves, for errors ({@code "worker 'w'"})
     * @param open whether the connection is open: a reader waiting for budget stops when it is not
     */
    ConnectionCalls(RpcSettings settings, FrameChannel channel, FrameWriter writer, Supplier<String> serverName,
            BooleanSupplier open) {
        this.budget = ReceiveBudget.of(settings);
        this.executor = CallExecutor.of(settings);
        this.channel = channel;
        this.writer = writer;
        this.requestFlush = WriterCallbacks.requestFlush(writer);
        this.serverName = serverName;
        this.open = open;
    }

    ReceiveBudget budget() {
        return budget;
    }

    /**
     * Reserves the bytes of an argument that arrived whole; if over budget, waits, and so does
     * not read the connection meanwhile (see {@link ReceiveBudget#reserveWhole}).
     *
     * @return whether it got them (false: the connection closed meanwhile)
     */
    boolean reserveArgument(int bytes, boolean connectionHasPartial) {
        try {
            return budget.reserveWhole(bytes, connectionHasPartial, open, requestFlush);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Runs an rpc call: here if a slot is free and nobody waits, else when a slot frees; then
     * writes its answer and releases its argument's {@code argBytes} once that is written.
     *
     * @param answer runs the call; its answer frame (a result or an error), or {@code null} for a
     *     call cancelled meanwhile (nothing is sent); never throws
     * @param binaryResult whether a result frame's payload is a {@code byte[]} value to send as
     *     the binary codec's encoding ({@link BinaryPayloads}) rather than the encoding itself
     */
    void rpc(long callId, Supplier<String> label, Supplier<Frame> answer, long argBytes, boolean binaryResult) {
        CallTask task = new CallTask(callId, new RpcBody(callId, label, answer, argBytes, binaryResult),
                new Dropped(callId, argBytes));
        tasks.put(callId, task);
        if (channel.canHandOffReading() && executor.tryRunHere()) {
            InlineCalls.Call inline = InlineCalls.start(channel, label);
            try {
                // The answer is written before finish(): a write blocked on a peer that reads
                // slowly is covered by the watchdog too.
                executor.runHere(task);
            } finally {
                inline.finish();
            }
        } else {
            executor.execute(task);
        }
    }

    /** Runs a one-way call when a slot is free, and releases its argument's {@code argBytes} after. */
    void oneWay(long callId, Runnable body, long argBytes) {
        CallTask task = new CallTask(callId, new OneWayBody(callId, body, argBytes), new Dropped(callId, argBytes));
        tasks.put(callId, task);
        executor.execute(task);
    }

    /** The call {@code callId} while it is queued or runs, or {@code null}: the handle to cancel it. */
    CallTask task(long callId) {
        return tasks.get(callId);
    }

    /** The connection closed: calls still queued never run (nobody waits for their answers). */
    void closed() {
        for (CallTask task : tasks.values()) {
            if (executor.remove(task)) {
                task.cancel();
            }
        }
    }

    /** A call cancelled before it ran: forgets it and releases its argument. */
    private void dropped(long callId, long argBytes) {
        tasks.remove(callId);
        budget.release(argBytes);
    }

    /**
     * Sends a call's answer, holding its bytes and the argument's in the budget until it has
     * been written (or dropped with the connection): a peer that reads its answers slowly slows
     * down its own calls, instead of piling answers up here.
     */
    /**
     * Sends a result whose payload is a {@code byte[]} value: a small one encoded, a large one
     * from its own array after its head, without a copy.
     */
    private void sendBinaryResult(Frame reply, Supplier<String> label, long argBytes) {
        byte[] value = reply.payload();
        if (value.length <= BinaryPayloads.COPIED_UP_TO) {
            sendAnswer(new Frame(FrameKind.RESULT, reply.callId(), 0, BinaryPayloads.encode(value)), NO_HEAD, label,
                    argBytes);
        } else {
            sendAnswer(reply, BinaryPayloads.head(value.length), label, argBytes);
        }
    }

    private void sendAnswer(Frame reply, byte[] head, Supplier<String> label, long argBytes) {
        long size = (long) head.length + reply.payload().length;
        long held = argBytes + size;
        budget.reserveNow(size);
        Runnable release = new Release(budget, held);
        try {
            if (head.length == 0) {
                writer.sendAnswer(reply, release);
            } else {
                writer.sendAnswer(reply, head, release);
            }
        } catch (IOException | RuntimeException e) {
            release.run();
            Log.LOG.debug("Cannot answer {} on {}: {}", channel.remoteAddress(), serverName.get(), e.toString());
            if (e instanceof MessageSizeException tooLarge && reply.kind() == FrameKind.RESULT) {
                // Tell the caller instead of leaving it waiting.
                sendAnswer(new Frame(FrameKind.ERROR, reply.callId(), 0, Messages.REMOTE_ERROR.encode(
                        Messages.RemoteError.tooLarge(serverName.get() + " cannot send the result of " + label.get()
                                + ": " + tooLarge.size() + " bytes, over the maximum message size of "
                                + tooLarge.limit() + " bytes (RpcSettings.maxMessageSize: raise it, or send large"
                                + " data in pieces through a pipe)"))), NO_HEAD, label, 0);
                return;
            }
            if (e instanceof IllegalArgumentException && reply.kind() != FrameKind.ERROR) {
                // Too large: tell the caller instead of leaving it waiting.
                sendAnswer(new Frame(FrameKind.ERROR, reply.callId(), 0, Messages.REMOTE_ERROR.encode(
                        Messages.RemoteError.protocol(serverName.get() + " cannot send its answer: " + e.getMessage()))),
                        NO_HEAD, label, 0);
                return;
            }
            channel.close();
        }
    }

    // The tasks' parts are named classes, not lambdas: none is linked on a worker's way to its
    // first answer (see SessionHooks).

    /** An rpc call: runs it and sends its answer (nothing if it was cancelled), then forgets it. */
    private final class RpcBody implements Runnable {
        private final long callId;
        private final Supplier<String> label;
        private final Supplier<Frame> answer;
        private final long argBytes;
        private final boolean binaryResult;

        RpcBody(long callId, Supplier<String> label, Supplier<Frame> answer, long argBytes, boolean binaryResult) {
            this.callId = callId;
            this.label = label;
            this.answer = answer;
            this.argBytes = argBytes;
            this.binaryResult = binaryResult;
        }

        @Override
        public void run() {
            try {
                Frame reply = answer.get();
                if (reply == null) {
                    budget.release(argBytes); // cancelled: its caller waits for nothing
                    return;
                }
                // On the reading thread, unflushed: the channel flushes once it has no more input.
                if (binaryResult && reply.kind() == FrameKind.RESULT) {
                    sendBinaryResult(reply, label, argBytes);
                } else {
                    sendAnswer(reply, NO_HEAD, label, argBytes);
                }
            } finally {
                tasks.remove(callId);
            }
        }
    }

    /** A one-way call: runs it, forgets it and releases its argument. */
    private final class OneWayBody implements Runnable {
        private final long callId;
        private final Runnable body;
        private final long argBytes;

        OneWayBody(long callId, Runnable body, long argBytes) {
            this.callId = callId;
            this.body = body;
            this.argBytes = argBytes;
        }

        @Override
        public void run() {
            try {
                body.run();
            } finally {
                tasks.remove(callId);
                budget.release(argBytes);
            }
        }
    }

    /** A call cancelled before it ran ({@link #dropped}). */
    private final class Dropped implements Runnable {
        private final long callId;
        private final long argBytes;

        Dropped(long callId, long argBytes) {
            this.callId = callId;
            this.argBytes = argBytes;
        }

        @Override
        public void run() {
            dropped(callId, argBytes);
        }
    }

    /** Gives an answer's bytes back to the budget once: when written, or when it cannot be. */
    private static final class Release extends AtomicBoolean implements Runnable {
        private final ReceiveBudget budget;
        private final long held;

        Release(ReceiveBudget budget, long held) {
            this.budget = budget;
            this.held = held;
        }

        @Override
        public void run() {
            if (compareAndSet(false, true)) {
                budget.release(held);
            }
        }
    }
}
