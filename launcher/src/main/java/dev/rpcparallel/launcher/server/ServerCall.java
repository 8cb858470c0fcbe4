package dev.rpcparallel.launcher.server;

import dev.rpcparallel.launcher.protocol.CallThreads;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;

/**
 * One call being served, as its implementation and its server see it: whether it was cancelled
 * (by its caller, its deadline or the loss of its connection), its deadline, and the thread that
 * runs it, which a cancellation interrupts. While a thread runs a call ({@link #enter()}), the
 * call is that thread's {@linkplain #current() current call}: calls the implementation makes to
 * other workers on that thread inherit its deadline. Thread-safe.
 */
public final class ServerCall implements CallThreads.Served {
    private final long callId;
    private final java.util.function.Supplier<String> label;
    private final boolean hasDeadline;
    private final long deadlineNanos;
    private final Instant deadline;
    private volatile String cancelledBy;
    /** Guarded by this: the thread running the call, while it runs it. */
    private Thread runner;
    /** What else stops when the call is cancelled (a stream's producer); guarded by this. */
    private Runnable onCancel;
    private volatile ScheduledFuture<?> expiry;

    /**
     * @param label what is called, for errors and inheritors: {@code "function 'f' of worker 'w'"}
     * @param remainingNanos the time left to its deadline when it arrived, or {@code -1} for none
     */
    ServerCall(long callId, java.util.function.Supplier<String> label, long remainingNanos) {
        this.callId = callId;
        this.label = label;
        this.hasDeadline = remainingNanos >= 0;
        this.deadlineNanos = hasDeadline ? System.nanoTime() + remainingNanos : 0;
        this.deadline = hasDeadline ? Instant.now().plusNanos(remainingNanos) : null;
    }

    /** The call the current thread is running, if it runs one. */
    public static ServerCall current() {
        return CallThreads.served() instanceof ServerCall call ? call : null;
    }

    long callId() {
        return callId;
    }

    /** What is called: {@code "function 'f' of worker 'w'"}. */
    @Override
    public String label() {
        return label.get();
    }

    /** Whether the call was cancelled (its caller, its deadline, or its connection). */
    public boolean isCancelled() {
        return cancelledBy != null;
    }

    /** Whether the call has a deadline. */
    @Override
    public boolean hasDeadline() {
        return hasDeadline;
    }

    /** The deadline in {@link System#nanoTime()} terms; meaningful only if {@link #hasDeadline()}. */
    @Override
    public long deadlineNanos() {
        return deadlineNanos;
    }

    /** The deadline on this machine's wall clock, if any. */
    public Optional<Instant> deadline() {
        return Optional.ofNullable(deadline);
    }

    /** The time left to the deadline, zero once passed, if there is one. */
    public Optional<Duration> timeRemaining() {
        return hasDeadline ? Optional.of(Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())))
                : Optional.empty();
    }

    /** Runs {@code action} too when the call is cancelled (at once if it already is). */
    void onCancel(Runnable action) {
        boolean now;
        synchronized (this) {
            onCancel = action;
            now = cancelledBy != null;
        }
        if (now) {
            action.run();
        }
    }

    void expiresWith(ScheduledFuture<?> timer) {
        this.expiry = timer;
    }

    /**
     * Cancels the call: it is marked cancelled, its stream stopped, then the thread running it
     * (if one is) interrupted. In that order, so that a producer the interrupt wakes finds its
     * stream already stopped and sees the cancellation as such. Idempotent.
     */
    void cancel(String why) {
        Runnable also;
        synchronized (this) {
            if (cancelledBy != null) {
                return;
            }
            cancelledBy = why;
            also = onCancel;
        }
        if (also != null) {
            also.run();
        }
        synchronized (this) {
            // A runner that ended meanwhile has cleared itself, and no interrupt is left for
            // what its thread runs next; one that entered meanwhile interrupted itself already.
            if (runner != null) {
                runner.interrupt();
            }
        }
    }

    /** Why the call was cancelled, or {@code null}. */
    String cancelledBy() {
        return cancelledBy;
    }

    /** The call has ended: its deadline needs no watching any more. */
    void ended() {
        ScheduledFuture<?> timer = expiry;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /**
     * Runs the call on this thread until {@link Running#close()}: it is the thread's current call,
     * and the thread a cancellation interrupts. A call cancelled before finds the thread
     * interrupted at once.
     */
    Running enter() {
        Thread thread = Thread.currentThread();
        CallThreads.Served previous = CallThreads.enterServed(this);
        synchronized (this) {
            runner = thread;
            if (cancelledBy != null) {
                thread.interrupt();
            }
        }
        return new Running(this, previous);
    }

    /** A thread running a call; closing it ends that, and clears an interrupt the call's cancellation left. */
    static final class Running implements AutoCloseable {
        private final ServerCall call;
        private final CallThreads.Served previous;

        private Running(ServerCall call, CallThreads.Served previous) {
            this.call = call;
            this.previous = previous;
        }

        @Override
        public void close() {
            boolean cancelled;
            synchronized (call) {
                call.runner = null;
                cancelled = call.cancelledBy != null;
            }
            if (cancelled) {
                // No interrupt comes after runner is cleared: the one the cancellation sent is
                // not left for whatever this thread runs next.
                Thread.interrupted();
            }
            CallThreads.restoreServed(previous);
        }
    }
}
