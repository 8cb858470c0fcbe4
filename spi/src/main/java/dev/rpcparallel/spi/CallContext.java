package dev.rpcparallel.spi;

import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.api.annotation.API;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a function implementation can see of the worker, the connection and the call it serves.
 * A context belongs to one call; it may be handed to other threads (a producer thread of a
 * direct pipe, say) and read there.
 *
 * <p><b>Cancellation.</b> A call is cancelled when its caller cancels it (a future's
 * {@code cancel}, a stream closed, a direct pipe aborted), when its deadline passes, or when its
 * connection is lost. Then {@link #isCancelled()} turns true, and the thread that runs the
 * implementation is interrupted (while it runs the call, never after), so blocking waits end
 * with an {@link InterruptedException}. Whatever the implementation returns afterwards is
 * dropped: the caller has already been told. An implementation that does long work checks
 * {@link #isCancelled()} (or its interrupt flag) and stops.
 *
 * <p><b>Deadlines.</b> {@link #deadline()} is when the caller stops waiting, if it set one; the
 * worker cancels the call itself when it passes. Calls this implementation makes to other
 * workers on the thread that runs it inherit the deadline (they are given at most the time
 * left).
 *
 * @param <S> the worker state
 * @param <C> the connection state
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface CallContext<S, C> {

    /** The worker's state, as returned by {@link WorkerPlugin#initWorkerState}. */
    S workerState();

    /** This connection's state, as returned by {@link WorkerPlugin#initConnectionState}. */
    C connectionState();

    /** The worker serving the call. */
    WorkerRef self();

    /**
     * Whether the call was cancelled: by its caller, by its deadline, or by the loss of its
     * connection. Thread-safe; cheap enough to check in a loop.
     */
    boolean isCancelled();

    /** When the caller stops waiting for this call (wall clock of this machine), if it set a deadline. */
    Optional<Instant> deadline();

    /**
     * The time left until {@link #deadline()} (zero once it has passed), if the call has a
     * deadline.
     */
    Optional<Duration> timeRemaining();
}
