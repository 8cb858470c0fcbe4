package dev.rpcparallel.launcher.client;

import dev.rpcparallel.api.RpcParallelException;
import dev.rpcparallel.spi.transport.Frame;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The calls of one connection waiting for their answer, and its streams in progress (pipes,
 * direct pipes, states, reverse pipes and log streams), by call id. Thread-safe.
 */
final class CallTable {
    private final Map<Long, PendingCall> pending = new ConcurrentHashMap<>();
    private final Map<Long, ClientStream> streams = new ConcurrentHashMap<>();
    private final ClientErrors errors;
    /** Runs once, after the first answer or stream frame was delivered; empty once run or if none was set. */
    private final AtomicReference<Runnable> afterFirstAnswer = new AtomicReference<>();

    CallTable(ClientErrors errors) {
        this.errors = errors;
    }

    /** Runs {@code action} once, on the thread that delivers it, after the first answer or stream frame. */
    void afterFirstAnswer(Runnable action) {
        afterFirstAnswer.set(action);
    }

    void addCall(long callId, PendingCall call) {
        pending.put(callId, call);
    }

    /** Removes the call {@code callId}: {@code null} if it has ended (answered, failed or cancelled). */
    PendingCall removeCall(long callId) {
        return pending.remove(callId);
    }

    void addStream(long callId, ClientStream stream) {
        streams.put(callId, stream);
    }

    ClientStream stream(long callId) {
        return streams.get(callId);
    }

    /** Removes the stream {@code callId}, if still there, and stops watching its deadline. */
    ClientStream endStream(long callId) {
        ClientStream stream = streams.remove(callId);
        if (stream != null) {
            stopExpiry(stream);
        }
        return stream;
    }

    /** Removes {@code stream} if it is still the stream {@code callId}, and stops watching its deadline. */
    boolean endStream(long callId, ClientStream stream) {
        if (!streams.remove(callId, stream)) {
            return false;
        }
        stopExpiry(stream);
        return true;
    }

    private static void stopExpiry(ClientStream stream) {
        ScheduledFuture<?> timer = stream.expiry;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** Fails the call or stream {@code callId}, if still pending, because the connection {@code reason}. */
    void fail(long callId, String reason) {
        PendingCall call = pending.remove(callId);
        if (call != null) {
            call.ended().future().completeExceptionally(errors.closed(call.functionLabel(), reason));
        }
        ClientStream stream = endStream(callId);
        if (stream != null) {
            stream.fail(errors.closed(stream.label, reason));
        }
    }

    /** Fails every call and stream, because the connection {@code reason}. */
    void failAll(String reason) {
        for (Long callId : pending.keySet()) {
            fail(callId, reason);
        }
        for (Long callId : streams.keySet()) {
            fail(callId, reason);
        }
    }

    /**
     * A frame with its whole payload, joined if it came in pieces: the answer of a call, or a
     * frame of a stream. A frame of a call already failed here, or of a cancelled stream, is dropped.
     */
    void deliver(Frame frame) {
        PendingCall call = pending.remove(frame.callId());
        if (call == null) {
            ClientStream stream = streams.get(frame.callId());
            if (stream != null) {
                stream.onFrame(frame);
                firstAnswerDelivered();
            }
            return;
        }
        call.ended();
        switch (frame.kind()) {
            case RESULT -> call.future().complete(frame.payload());
            case ERROR -> call.future().completeExceptionally(errors.ofCall(frame, call.functionLabel()));
            default -> call.future().completeExceptionally(errors.unexpected(frame, call.functionLabel()));
        }
        firstAnswerDelivered();
    }

    private void firstAnswerDelivered() {
        if (afterFirstAnswer.get() != null) {
            Runnable action = afterFirstAnswer.getAndSet(null);
            if (action != null) {
                action.run();
            }
        }
    }

    /**
     * A result or stream element larger than this process's whole receive budget was dropped:
     * its call fails with {@code failure} of what it was.
     */
    void failOverBudget(long callId, Function<String, String> failure) {
        PendingCall call = pending.remove(callId);
        String what = call != null ? "the encoded result of " + call.functionLabel() : "an encoded element of a stream";
        RpcParallelException error = new RpcParallelException(failure.apply(what));
        if (call != null) {
            call.future().completeExceptionally(error);
            return;
        }
        ClientStream stream = endStream(callId);
        if (stream != null) {
            stream.fail(error);
        }
    }
}
