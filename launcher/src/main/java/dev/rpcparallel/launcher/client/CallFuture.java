package dev.rpcparallel.launcher.client;

import dev.rpcparallel.launcher.protocol.ReadingThreads;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The future of a call: {@link #cancel} cancels the call in the worker as well, and a blocking
 * {@code get} or {@code join} on a connection's reading thread lets another thread read on
 * first ({@link ReadingThreads}), so it cannot wait forever. Dependent stages are futures of
 * this kind too (for the blocking part; cancelling one of them cancels only that stage).
 *
 * @param <T> the result type
 */
final class CallFuture<T> extends CompletableFuture<T> {
    /** Stops the call in the worker; {@code null} for a dependent stage. */
    private final Runnable canceller;
    /** How a blocking wait starts on the call's connection; {@code null}: it parks at once. */
    private final LoneCallerWait lone;
    /** When the call was sent, for the connection's round trips. */
    private final long startedNanos;

    CallFuture(Runnable canceller) {
        this(canceller, null);
    }

    CallFuture(Runnable canceller, LoneCallerWait lone) {
        this(canceller, lone, lone == null ? 0 : System.nanoTime());
    }

    private CallFuture(Runnable canceller, LoneCallerWait lone, long startedNanos) {
        this.canceller = canceller;
        this.lone = lone;
        this.startedNanos = startedNanos;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled && canceller != null) {
            canceller.run();
        }
        return cancelled;
    }

    /**
     * A future of {@code mapper} applied to this one's result (run where this one completes);
     * cancelling it cancels this one, and so the call.
     */
    <U> CallFuture<U> map(Function<? super T, ? extends U> mapper) {
        CallFuture<U> mapped = new CallFuture<>(() -> cancel(false), lone, startedNanos);
        whenComplete((value, error) -> {
            if (error != null) {
                mapped.completeExceptionally(error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
                return;
            }
            U result;
            try {
                result = mapper.apply(value);
            } catch (Throwable e) {
                mapped.completeExceptionally(e);
                return;
            }
            mapped.complete(result);
        });
        return mapped;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CallFuture<>(null);
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        if (isDone()) {
            return super.get();
        }
        LoneCallerWait.Waiter waiter = beginBlocking(Long.MAX_VALUE);
        try {
            return super.get();
        } finally {
            endBlocking(waiter);
        }
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (isDone()) {
            return super.get(timeout, unit);
        }
        long start = System.nanoTime();
        long timeoutNanos = unit.toNanos(timeout);
        LoneCallerWait.Waiter waiter = beginBlocking(timeoutNanos);
        try {
            return super.get(timeoutNanos - (System.nanoTime() - start), TimeUnit.NANOSECONDS);
        } finally {
            endBlocking(waiter);
        }
    }

    @Override
    public T join() {
        if (isDone()) {
            return super.join();
        }
        LoneCallerWait.Waiter waiter = beginBlocking(Long.MAX_VALUE);
        try {
            return super.join();
        } finally {
            endBlocking(waiter);
        }
    }

    /**
     * Starts a blocking wait of at most {@code timeoutNanos}: a connection's reading thread hands
     * reading over first ({@link ReadingThreads}); any other caller's wait starts as its
     * connection's {@link LoneCallerWait} says. Returns the wait to end, {@code null} if none began.
     */
    private LoneCallerWait.Waiter beginBlocking(long timeoutNanos) {
        boolean reading = ReadingThreads.isReadingThread();
        ReadingThreads.beforeBlocking();
        return lone == null || reading ? null : lone.begin(this, timeoutNanos);
    }

    private void endBlocking(LoneCallerWait.Waiter waiter) {
        if (waiter != null) {
            waiter.end(this, startedNanos);
        }
    }
}
