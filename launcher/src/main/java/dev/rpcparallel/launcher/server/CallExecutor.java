package dev.rpcparallel.launcher.server;

import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.launcher.protocol.CallThreads;
import dev.rpcparallel.launcher.protocol.DaemonThreads;
import dev.rpcparallel.launcher.protocol.ReceiveBudget;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs the calls (rpc and one-way) a process serves, at most {@link RpcSettings#callThreads()}
 * at once; the others wait in a first-come queue, their arguments counted in the
 * {@link ReceiveBudget}. A call runs either on the connection's reading thread
 * ({@link #tryRunHere()}: no hand-off when a slot is free and nobody waits) or on a pool
 * thread; either way it holds one of the slots while it runs.
 *
 * <p>A call that waits for the answer of another call ({@link CallThreads#whileBlocked}) gives its slot up
 * while it waits, and takes it back after: nested calls (a call on a worker that calls the same
 * worker, or a chain of workers that call each other) cannot fill every slot with callers
 * waiting for callees that cannot start. Streams, connection-state inits (on the connection's
 * reading thread) and built-in functions (heartbeats, shutdown) never take a slot: they run
 * elsewhere and never wait behind calls.
 *
 * <p>One executor per process and size; thread-safe. Its threads are daemons named
 * {@code rpc-parallel-call-N} and end after 30 s idle.
 */
final class CallExecutor implements CallThreads.Slot {
    /** The fewest slots an automatic size gives. */
    static final int MIN_AUTOMATIC = 16;

    private static final Map<Integer, CallExecutor> SHARED = new ConcurrentHashMap<>();

    private final int limit;
    private final ArrayDeque<CallTask> queue = new ArrayDeque<>();
    private final ExecutorService threads;
    private int running;
    private int peakRunning;

    CallExecutor(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("a call executor needs at least one slot: " + limit);
        }
        this.limit = limit;
        // Never more threads than slots taken (plus callers that gave theirs up to wait): the
        // slots bound them, not this pool.
        this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                DaemonThreads.named("rpc-parallel-call-"));
    }

    /** The process's executor for these settings. */
    static CallExecutor of(RpcSettings settings) {
        int slots = slotsFor(settings);
        CallExecutor executor = SHARED.get(slots);
        if (executor != null) {
            return executor;
        }
        synchronized (SHARED) { // not computeIfAbsent: no lambda to link on a worker's start
            executor = SHARED.get(slots);
            if (executor == null) {
                executor = new CallExecutor(slots);
                SHARED.put(slots, executor);
            }
            return executor;
        }
    }

    /**
     * The slots these settings give: {@link RpcSettings#callThreads()}, or twice the processors
     * and at least {@value #MIN_AUTOMATIC}. Calls often wait (on I/O, on other workers) rather
     * than compute; sixteen keeps a small machine busy through such waits, twice the processors
     * a large one, and each slot costs a thread stack, not a heap share.
     */
    static int slotsFor(RpcSettings settings) {
        int configured = settings.callThreads();
        if (configured != RpcSettings.AUTOMATIC) {
            return configured;
        }
        return Math.max(MIN_AUTOMATIC, 2 * Runtime.getRuntime().availableProcessors());
    }

    int limit() {
        return limit;
    }

    /**
     * Takes a slot for a call to run on this thread now, if one is free and no call waits for
     * one; the caller then runs it with {@link #runHere} (which gives the slot back).
     */
    synchronized boolean tryRunHere() {
        if (running < limit && queue.isEmpty()) {
            running++;
            peakRunning = Math.max(peakRunning, running);
            return true;
        }
        return false;
    }

    /** Runs a task on this thread in the slot {@link #tryRunHere} took, then gives the slot back. */
    void runHere(CallTask task) {
        try {
            runHolding(task);
        } finally {
            CallTask next;
            synchronized (this) {
                next = queue.poll();
                if (next == null) {
                    running--;
                }
            }
            if (next != null) {
                startThread(next);
            }
        }
    }

    /** Runs the task when a slot is free: at once on a pool thread, or after the calls queued before it. */
    void execute(CallTask task) {
        synchronized (this) {
            if (running >= limit) {
                queue.add(task);
                return;
            }
            running++;
            peakRunning = Math.max(peakRunning, running);
        }
        startThread(task);
    }

    /** Forgets a task still queued (cancelled before it ran); whether it was queued. */
    synchronized boolean remove(CallTask task) {
        return queue.remove(task);
    }

    private void startThread(CallTask first) {
        threads.execute(new Drain(first));
    }

    /** A pool thread's work: {@code first}, then the queued calls until none is left (not a lambda to link). */
    private final class Drain implements Runnable {
        private final CallTask first;

        Drain(CallTask first) {
            this.first = first;
        }

        @Override
        public void run() {
            CallTask task = first;
            while (task != null) {
                try {
                    runHolding(task);
                } finally {
                    synchronized (CallExecutor.this) {
                        task = queue.poll();
                        if (task == null) {
                            running--;
                        }
                    }
                }
            }
        }
    }

    private void runHolding(CallTask task) {
        CallThreads.Slot previous = CallThreads.holdSlot(this);
        try {
            task.run();
        } finally {
            CallThreads.restoreSlot(previous);
        }
    }

    @Override
    public synchronized void takeBack() {
        running++;
        peakRunning = Math.max(peakRunning, running);
    }

    @Override
    public void giveUp() {
        CallTask next;
        synchronized (this) {
            next = queue.poll();
            if (next == null) {
                running--;
            }
        }
        if (next != null) {
            startThread(next);
        }
    }

    /** The calls running now, for tests and diagnostics. */
    synchronized int running() {
        return running;
    }

    /** The calls waiting for a slot now. */
    synchronized int queued() {
        return queue.size();
    }

    /** The most calls ever running at once. */
    synchronized int peakRunning() {
        return peakRunning;
    }
}
