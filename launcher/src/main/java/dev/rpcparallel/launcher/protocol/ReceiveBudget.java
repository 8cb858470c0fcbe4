package dev.rpcparallel.launcher.protocol;

import dev.rpcparallel.api.RpcSettings;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The bytes a process holds for what its peers send it, bounded ({@link RpcSettings#receiveBudget()}):
 * payloads being joined from pieces, call arguments waiting to run or running, and answers
 * waiting to be written. A process has two: one for the calls it serves, one for the answers it
 * receives as a caller, since a served call may wait for an answer (a call waiting for answer
 * bytes that only its own release could free would wait for good). A connection's reading thread reserves the bytes of a payload when its
 * first piece arrives (the whole announced size, so a payload is never stopped half-read) and
 * waits while that would exceed the budget: the connection is not read meanwhile, and the
 * sender is slowed by the transport (a full TCP window). Whoever is done with the bytes releases
 * them, which wakes the waiting readers.
 *
 * <p>Two kinds of reservation keep waiting from ever deadlocking:
 * <ul>
 *   <li><em>partial</em> bytes, of a payload still being joined, become whole only by reading
 *       on: a reader never waits while its own connection has a partial payload, unless bytes of
 *       whole payloads (work that runs and releases them) are reserved too. A sender
 *       ({@link FrameWriter}) sends one large payload at a time, so a reader that waits at a
 *       payload's first piece holds nothing partial.</li>
 *   <li>a reservation never waits when nothing is reserved: a payload up to the whole budget
 *       always gets in eventually; one larger than the budget is refused
 *       ({@link #refusal}).</li>
 * </ul>
 *
 * <p>One budget of each kind per process and size, shared by its servers (or its client
 * connections): the heap it protects is the process's. Thread-safe.
 */
public final class ReceiveBudget {
    /** The fraction of the maximum heap an automatic budget takes. */
    public static final int HEAP_FRACTION = 8;
    /** The smallest automatic budget. */
    public static final long MIN_AUTOMATIC = 4L * 1024 * 1024;
    /** How often a waiting reader checks that its connection is still open. */
    private static final long WAIT_SLICE_MILLIS = 100;

    private static final Map<Long, ReceiveBudget> SERVED = new ConcurrentHashMap<>();
    private static final Map<Long, ReceiveBudget> ANSWERS = new ConcurrentHashMap<>();

    private final long limit;
    private final boolean automatic;
    private long reserved;
    private long partial;
    private long peak;

    /**
     * A budget of {@code limit} bytes.
     *
     * @param automatic whether the limit was sized from the heap, for the refusal's message
     */
    public ReceiveBudget(long limit, boolean automatic) {
        if (limit <= 0) {
            throw new IllegalArgumentException("a receive budget must be positive: " + limit);
        }
        this.limit = limit;
        this.automatic = automatic;
    }

    /** The process's budget for the calls it serves (their arguments and answers), for these settings. */
    public static ReceiveBudget of(RpcSettings settings) {
        return of(settings, SERVED);
    }

    /**
     * The process's budget for the answers it receives as a caller (results and stream elements),
     * for these settings: apart from {@link #of}, because a served call may wait for an answer,
     * so answers must never wait for served calls to release bytes.
     */
    public static ReceiveBudget forAnswers(RpcSettings settings) {
        return of(settings, ANSWERS);
    }

    private static ReceiveBudget of(RpcSettings settings, Map<Long, ReceiveBudget> shared) {
        long configured = settings.receiveBudget();
        ReceiveBudget budget = shared.get(configured);
        if (budget != null) {
            return budget;
        }
        synchronized (shared) { // not computeIfAbsent: no lambda to link on a worker's start
            budget = shared.get(configured);
            if (budget == null) {
                budget = made(configured);
                shared.put(configured, budget);
            }
            return budget;
        }
    }

    private static ReceiveBudget made(long bytes) {
        return bytes == RpcSettings.AUTOMATIC
                ? new ReceiveBudget(Math.max(MIN_AUTOMATIC, Runtime.getRuntime().maxMemory() / HEAP_FRACTION), true)
                : new ReceiveBudget(bytes, false);
    }

    public long limit() {
        return limit;
    }

    /** Whether a payload of {@code bytes} can ever be received: not larger than the whole budget. */
    public boolean fits(long bytes) {
        return bytes <= limit;
    }

    /**
     * Why a payload larger than the whole budget is refused: names the size, the budget and the
     * setting to raise.
     *
     * @param what the payload, such as {@code "the encoded argument of function 'f'"}
     * @param receiver who refuses it, such as {@code "worker 'w'"}
     */
    public String refusal(String what, long bytes, String receiver) {
        return what + " is " + bytes + " bytes, more than the whole receive budget of " + limit + " bytes of "
                + receiver + " (process " + ProcessHandle.current().pid() + ", " + (automatic
                        ? "an eighth of its maximum heap of " + Runtime.getRuntime().maxMemory() + " bytes"
                        : "set by RpcSettings.receiveBudget")
                + "): raise RpcSettings.receiveBudget (withReceiveBudget, or receiveBudget= in "
                + RpcSettings.ENVIRONMENT_VARIABLE + ") or the receiver's heap (-Xmx), or send less at once";
    }

    /**
     * Reserves the bytes of a payload whose first piece has arrived; they stay partial until
     * {@link #joined}. Waits while over budget.
     *
     * @param open whether the connection is still open; the wait ends when it is not
     * @param beforeWait runs once before waiting (outside any lock), such as to flush what the
     *     waiting thread wrote
     * @return whether the bytes were reserved (false: the connection closed meanwhile)
     */
    public boolean reservePartial(long bytes, BooleanSupplier open, Runnable beforeWait) throws InterruptedException {
        return reserve(bytes, true, false, open, beforeWait);
    }

    /**
     * Reserves the bytes of a payload that arrived whole. Waits while over budget, unless the
     * connection has a partial payload and no whole payload holds bytes (its partial must then
     * be read on).
     *
     * @return whether the bytes were reserved (false: the connection closed meanwhile)
     */
    public boolean reserveWhole(long bytes, boolean connectionHasPartial, BooleanSupplier open, Runnable beforeWait)
            throws InterruptedException {
        return reserve(bytes, false, connectionHasPartial, open, beforeWait);
    }

    /** Reserves bytes without waiting, such as an answer's until it is written. */
    public synchronized void reserveNow(long bytes) {
        reserved += bytes;
        peak = Math.max(peak, reserved);
    }

    private boolean reserve(long bytes, boolean isPartial, boolean connectionHasPartial, BooleanSupplier open,
            Runnable beforeWait) throws InterruptedException {
        if (tryReserve(bytes, isPartial, connectionHasPartial)) {
            return true;
        }
        beforeWait.run();
        synchronized (this) {
            while (!tryReserve(bytes, isPartial, connectionHasPartial)) {
                if (!open.getAsBoolean()) {
                    return false;
                }
                wait(WAIT_SLICE_MILLIS);
            }
            return true;
        }
    }

    private synchronized boolean tryReserve(long bytes, boolean isPartial, boolean connectionHasPartial) {
        boolean fits = reserved == 0 || reserved + bytes <= limit
                || connectionHasPartial && reserved == partial;
        if (!fits) {
            return false;
        }
        reserved += bytes;
        if (isPartial) {
            partial += bytes;
        }
        peak = Math.max(peak, reserved);
        return true;
    }

    /** A payload reserved by {@link #reservePartial} is whole: its bytes are held by whole work now. */
    public synchronized void joined(long bytes) {
        partial -= bytes;
        notifyAll();
    }

    /** Releases partial bytes of a payload never joined (its connection closed). */
    public synchronized void releasePartial(long bytes) {
        partial -= bytes;
        reserved -= bytes;
        notifyAll();
    }

    /** Releases whole bytes. */
    public synchronized void release(long bytes) {
        if (bytes == 0) {
            return;
        }
        reserved -= bytes;
        notifyAll();
    }

    /** The bytes reserved now, for tests and diagnostics. */
    public synchronized long reserved() {
        return reserved;
    }

    /** The most bytes ever reserved at once, for tests and diagnostics. */
    public synchronized long peak() {
        return peak;
    }
}
