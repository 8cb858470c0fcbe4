package dev.rpcparallel.sample.primes;

import dev.rpcparallel.sample.primes.Primes.Range;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Counts a list of chunks on several workers, each worker taking the next chunk as soon as it
 * has finished its last one, so fast workers do more chunks than slow ones and none waits while
 * chunks are left. Each worker has one call in flight at a time.
 */
final class ChunkDispatcher {

    /** Thrown (inside the returned future) when counting a chunk fails. */
    static final class ChunkFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ChunkFailedException(Range chunk, Throwable cause) {
            super("counting " + chunk + " failed: " + describe(cause), cause);
        }
    }

    private final List<Range> chunks;
    private final Executor executor;
    private final AtomicInteger nextChunk = new AtomicInteger();
    private final AtomicInteger chunksLeft;
    private final AtomicLong sum = new AtomicLong();
    private final CompletableFuture<Long> result = new CompletableFuture<>();

    private ChunkDispatcher(List<Range> chunks, Executor executor) {
        this.chunks = List.copyOf(chunks);
        this.executor = executor;
        this.chunksLeft = new AtomicInteger(this.chunks.size());
    }

    /**
     * Starts counting and returns the future sum of the counts. The first failure completes the
     * future exceptionally with a {@link ChunkFailedException}; no further chunks are handed
     * out after it (calls already in flight are left to finish).
     *
     * @param workers per worker, a function that starts counting one chunk on it
     * @param executor runs the steps between one call's completion and the next call
     */
    static CompletableFuture<Long> countAll(
            List<Range> chunks,
            List<? extends Function<Range, CompletableFuture<Long>>> workers,
            Executor executor) {
        if (workers.isEmpty()) {
            throw new IllegalArgumentException("no workers to count on");
        }
        ChunkDispatcher dispatcher = new ChunkDispatcher(chunks, executor);
        if (dispatcher.chunks.isEmpty()) {
            dispatcher.result.complete(0L);
        }
        for (Function<Range, CompletableFuture<Long>> worker : workers) {
            dispatcher.startNext(worker);
        }
        return dispatcher.result;
    }

    private void startNext(Function<Range, CompletableFuture<Long>> worker) {
        if (result.isDone()) {
            return;
        }
        int index = nextChunk.getAndIncrement();
        if (index >= chunks.size()) {
            return;
        }
        Range chunk = chunks.get(index);
        CompletableFuture<Long> call;
        try {
            call = worker.apply(chunk);
        } catch (RuntimeException e) {
            result.completeExceptionally(new ChunkFailedException(chunk, e));
            return;
        }
        call.whenCompleteAsync((count, failure) -> {
            if (failure != null) {
                result.completeExceptionally(new ChunkFailedException(chunk, unwrap(failure)));
            } else if (count == null) {
                result.completeExceptionally(
                        new ChunkFailedException(chunk, new NullPointerException("the worker returned no count")));
            } else {
                long total = sum.addAndGet(count);
                if (chunksLeft.decrementAndGet() == 0) {
                    result.complete(total);
                } else {
                    startNext(worker);
                }
            }
        }, executor);
    }

    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * One line about a failure: the first line of its message (a remote exception's message goes
     * on with the remote stack trace), prefixed by its class for anything but this library's
     * own exceptions, whose messages say what failed.
     */
    static String describe(Throwable failure) {
        Throwable t = unwrap(failure);
        String message = t.getMessage();
        String firstLine = message == null ? "" : message.strip().lines().findFirst().orElse("");
        if (firstLine.isEmpty() && t.getCause() != null && t.getCause() != t) {
            return t.getClass().getName() + ": " + describe(t.getCause());
        }
        boolean selfExplaining = t instanceof ChunkFailedException
                || t.getClass().getName().startsWith("dev.rpcparallel.api.");
        if (selfExplaining && !firstLine.isEmpty()) {
            return firstLine;
        }
        return firstLine.isEmpty() ? t.getClass().getName() : t.getClass().getName() + ": " + firstLine;
    }
}
