package dev.rpcparallel.launcher.server;

import dev.rpcparallel.launcher.protocol.DeadlineTimer;
import dev.rpcparallel.launcher.protocol.Messages;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The calls one connection of a server is serving, by call id: what a {@code CANCEL} frame
 * cancels, what a {@code DEADLINE} frame gives its deadline to, and what the loss of the
 * connection cancels. A call is registered when its {@code CALL} frame arrives (so a call still
 * waiting for a thread can be cancelled before it runs) and removed when it ends.
 */
final class ServerCalls {
    /**
     * Deadlines announced for calls not arrived yet, at most: a peer that sends more is broken
     * (each call's DEADLINE is followed by its CALL), and the map must not grow without bound.
     */
    static final int MAX_ANNOUNCED = 65_536;

    private final Map<Long, Long> announced = new ConcurrentHashMap<>();
    private final Map<Long, ServerCall> running = new ConcurrentHashMap<>();
    private final String serverName;

    ServerCalls(String serverName) {
        this.serverName = serverName;
    }

    /**
     * A {@code DEADLINE} frame: the deadline of the call {@code callId}, whose {@code CALL} follows.
     *
     * @throws IllegalStateException if too many deadlines were announced for calls that never came
     */
    void announce(long callId, byte[] payload) {
        long micros = Messages.DEADLINE.decode(payload);
        if (announced.size() >= MAX_ANNOUNCED) {
            throw new IllegalStateException("announced deadlines for more than " + MAX_ANNOUNCED
                    + " calls it has not made");
        }
        announced.put(callId, TimeUnit.MICROSECONDS.toNanos(Math.max(0, micros)));
    }

    /**
     * Registers the call {@code callId}, arrived now, with the deadline announced for it, if any;
     * the worker cancels it itself when that passes.
     */
    ServerCall open(long callId, java.util.function.Supplier<String> function) {
        Long remaining = announced.isEmpty() ? null : announced.remove(callId);
        ServerCall call = new ServerCall(callId, new SessionHooks.CallName(function, serverName),
                remaining == null ? -1 : remaining);
        running.put(callId, call);
        if (remaining != null) {
            call.expiresWith(DeadlineTimer.at(call.deadlineNanos(), () -> call.cancel(
                    "its deadline (" + TimeUnit.NANOSECONDS.toMillis(remaining) + " ms after it arrived)")));
        }
        return call;
    }

    /** A {@code CANCEL} frame for {@code callId}; nothing if the call has ended. */
    void cancel(long callId, String why) {
        if (!announced.isEmpty()) {
            announced.remove(callId); // a call whose deadline went out and that was not sent after all
        }
        ServerCall call = running.get(callId);
        if (call != null) {
            call.cancel(why);
        }
    }

    /** The call has ended (answered, failed or cancelled). */
    void ended(ServerCall call) {
        running.remove(call.callId(), call);
        call.ended();
    }

    /** The connection is gone: every call it was serving is cancelled. */
    void cancelAll(String why) {
        announced.clear();
        for (ServerCall call : running.values()) {
            call.cancel(why);
            ended(call);
        }
    }
}
