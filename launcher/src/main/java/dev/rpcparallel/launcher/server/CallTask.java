package dev.rpcparallel.launcher.server;

import static java.util.Objects.requireNonNull;

/**
 * One call a server runs through its {@link CallExecutor}: queued, then running on one thread,
 * then done. The handle to stop it: {@link #cancel()} drops it if it has not started, or
 * interrupts its thread if it runs. A server keeps its connection's tasks by call id while they
 * are queued or running.
 *
 * <p>Thread-safe. The interrupt of a cancel is cleared from the thread when the call ends, so it
 * never reaches the next call on that thread.
 */
final class CallTask implements Runnable {
    private enum State { QUEUED, RUNNING, DONE, DROPPED }

    private final long callId;
    private final Runnable body;
    private final Runnable onDropped;
    private State state = State.QUEUED;
    private Thread thread;

    /**
     * @param body the call: runs once, unless the task is dropped first
     * @param onDropped runs instead of {@code body} when the task is cancelled before it started
     *     (to release what it holds)
     */
    CallTask(long callId, Runnable body, Runnable onDropped) {
        this.callId = callId;
        this.body = requireNonNull(body, "body");
        this.onDropped = requireNonNull(onDropped, "onDropped");
    }

    long callId() {
        return callId;
    }

    @Override
    public void run() {
        synchronized (this) {
            if (state != State.QUEUED) {
                return;
            }
            state = State.RUNNING;
            thread = Thread.currentThread();
        }
        try {
            body.run();
        } finally {
            synchronized (this) {
                state = State.DONE;
                thread = null;
            }
            // A cancel that came as the call ended must not interrupt what runs next here.
            Thread.interrupted();
        }
    }

    /**
     * Stops the call: a call that has not started never will ({@code onDropped} runs, and this
     * returns true: the caller answers for it); a running call's thread is interrupted (it
     * answers for itself, and this returns false); a finished call is left alone (false).
     */
    boolean cancel() {
        synchronized (this) {
            switch (state) {
                case QUEUED -> state = State.DROPPED;
                case RUNNING -> {
                    thread.interrupt();
                    return false;
                }
                default -> {
                    return false;
                }
            }
        }
        onDropped.run();
        return true;
    }

    /** Whether the call is running now. */
    synchronized boolean isRunning() {
        return state == State.RUNNING;
    }
}
