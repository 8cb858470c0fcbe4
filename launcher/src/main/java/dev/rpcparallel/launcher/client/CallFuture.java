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

    CallFuture(Runnable canceller) {
        this.canceller = canceller;
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
        CallFuture<U> mapped = new CallFuture<>(() -> cancel(false));
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
        if (!isDone()) {
            ReadingThreads.beforeBlocking();
        }
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (!isDone()) {
            ReadingThreads.beforeBlocking();
        }
        return super.get(timeout, unit);
    }

    @Override
    public T join() {
        if (!isDone()) {
            ReadingThreads.beforeBlocking();
        }
        return super.join();
    }
}
