package dev.rpcparallel.launcher.protocol;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * What the server side of this process tells the client side about the current thread: the
 * call it is serving, whose deadline an outgoing call made there inherits, and the call slot it
 * holds, which it lends out while it waits for an answer. The server sets both; the client only
 * reads them, so neither side depends on the other.
 */
public final class CallThreads {
    private static final ThreadLocal<Served> SERVED = new ThreadLocal<>();
    private static final ThreadLocal<Slot> SLOT = new ThreadLocal<>();

    private CallThreads() {}

    /** A call being served, as an outgoing call made on its thread sees it. */
    public interface Served {
        /** Whether the call has a deadline. */
        boolean hasDeadline();

        /** The deadline in {@link System#nanoTime()} terms; meaningful only if {@link #hasDeadline()}. */
        long deadlineNanos();

        /** What is called: {@code "function 'f' of worker 'w'"}. */
        String label();
    }

    /** A call slot held by the current thread, given up while it waits for another call. */
    public interface Slot {
        /** Lets the next waiting call run in this slot. */
        void giveUp();

        /** Takes the slot back (the caller may run past the limit for a moment). */
        void takeBack();
    }

    /** The call the current thread is serving, or {@code null}. */
    public static Served served() {
        return SERVED.get();
    }

    /** Makes {@code call} the current thread's served call; returns the previous one, for {@link #restoreServed}. */
    public static Served enterServed(Served call) {
        Served previous = SERVED.get();
        SERVED.set(call);
        return previous;
    }

    public static void restoreServed(Served previous) {
        if (previous == null) {
            SERVED.remove();
        } else {
            SERVED.set(previous);
        }
    }

    /** Makes {@code slot} the current thread's slot; returns the previous one, for {@link #restoreSlot}. */
    public static Slot holdSlot(Slot slot) {
        Slot previous = SLOT.get();
        SLOT.set(slot);
        return previous;
    }

    public static void restoreSlot(Slot previous) {
        if (previous == null) {
            SLOT.remove();
        } else {
            SLOT.set(previous);
        }
    }

    /**
     * Runs {@code waiting}, which blocks until another call answers; if this thread holds a call
     * slot, the slot goes to the next queued call meanwhile and comes back after.
     */
    public static <T> T whileBlocked(Supplier<T> waiting) {
        Slot holder = SLOT.get();
        if (holder == null) {
            return waiting.get();
        }
        holder.giveUp();
        SLOT.remove();
        try {
            return waiting.get();
        } finally {
            SLOT.set(holder);
            holder.takeBack();
        }
    }

    /**
     * Waits until {@code future} is done, like {@link #whileBlocked}: the slot this thread holds,
     * if any, goes to the next queued call meanwhile. Its outcome is left for the caller to read;
     * an interrupt while waiting ends the wait and is kept on the thread. No lambda: a worker's
     * first call to its master waits here.
     */
    public static void whileBlockedOn(Future<?> future) {
        Slot holder = SLOT.get();
        if (holder == null) {
            awaitDone(future);
            return;
        }
        holder.giveUp();
        SLOT.remove();
        try {
            awaitDone(future);
        } finally {
            SLOT.set(holder);
            holder.takeBack();
        }
    }

    private static void awaitDone(Future<?> future) {
        try {
            future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // the caller reads the outcome
        }
    }
}
