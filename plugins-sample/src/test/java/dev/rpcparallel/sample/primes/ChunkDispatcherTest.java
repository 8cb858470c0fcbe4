package dev.rpcparallel.sample.primes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.sample.primes.ChunkDispatcher.ChunkFailedException;
import dev.rpcparallel.sample.primes.Primes.Range;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChunkDispatcherTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final ExecutorService fakeWorkers = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        pool.shutdownNow();
        fakeWorkers.shutdownNow();
    }

    /** A worker that counts on another thread, and records what it did. */
    private final class FakeWorker implements Function<Range, CompletableFuture<Long>> {
        final List<Range> counted = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();

        @Override
        public CompletableFuture<Long> apply(Range range) {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            return CompletableFuture.supplyAsync(() -> {
                counted.add(range);
                try {
                    return SegmentedSieve.countPrimes(range.from(), range.to());
                } finally {
                    // Done when the result is handed back, not when the work starts.
                    inFlight.decrementAndGet();
                }
            }, fakeWorkers);
        }
    }

    @Test
    void sumsEveryChunkExactlyOnceWithOneCallInFlightPerWorker() throws Exception {
        List<Range> chunks = PrimesApp.chunks(10_000_000, 50);
        List<FakeWorker> workers = List.of(new FakeWorker(), new FakeWorker(), new FakeWorker());

        long primes = ChunkDispatcher.countAll(chunks, workers, pool).get(30, TimeUnit.SECONDS);

        assertThat(primes).isEqualTo(664_579);
        List<Range> counted = new ArrayList<>();
        for (FakeWorker worker : workers) {
            counted.addAll(worker.counted);
            assertThat(worker.maxInFlight).hasValue(1);
        }
        assertThat(counted).containsExactlyInAnyOrderElementsOf(chunks);
    }

    @Test
    void aFastWorkerTakesTheChunksASlowWorkerIsNotReadyFor() throws Exception {
        CompletableFuture<Long> slowCall = new CompletableFuture<>();
        List<Range> slowGot = Collections.synchronizedList(new ArrayList<>());
        Function<Range, CompletableFuture<Long>> slow = range -> {
            slowGot.add(range);
            return slowCall;
        };
        FakeWorker fast = new FakeWorker();
        List<Range> chunks = PrimesApp.chunks(1_000_000, 10);

        CompletableFuture<Long> result = ChunkDispatcher.countAll(chunks, List.of(slow, fast), pool);

        // The fast worker counts all 9 other chunks while the slow one is still on its first.
        await().atMost(Duration.ofSeconds(30)).until(() -> fast.counted.size() == 9);
        assertThat(slowGot).containsExactly(chunks.get(0));
        assertThat(result).isNotDone();

        Range first = chunks.get(0);
        slowCall.complete(SegmentedSieve.countPrimes(first.from(), first.to()));
        assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(78_498);
        assertThat(slowGot).hasSize(1);
    }

    @Test
    void theFirstFailureFailsTheSumAndStopsHandingOutChunks() {
        AtomicInteger calls = new AtomicInteger();
        Function<Range, CompletableFuture<Long>> failing = range -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException("boom\nsecond line"));
        };

        CompletableFuture<Long> result = ChunkDispatcher.countAll(PrimesApp.chunks(1000, 10), List.of(failing), pool);

        assertThatThrownBy(() -> result.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(ChunkFailedException.class)
                .hasMessage("counting [0, 100) failed: java.lang.IllegalStateException: boom");
        assertThat(calls).hasValue(1);
    }

    @Test
    void aWorkerThatThrowsInsteadOfReturningAFutureFailsTheSum() {
        Function<Range, CompletableFuture<Long>> throwing = range -> {
            throw new IllegalStateException("connection closed");
        };

        CompletableFuture<Long> result = ChunkDispatcher.countAll(PrimesApp.chunks(1000, 2), List.of(throwing), pool);

        assertThat(result).isCompletedExceptionally();
        assertThatThrownBy(result::join)
                .cause()
                .hasMessage("counting [0, 500) failed: java.lang.IllegalStateException: connection closed");
    }

    @Test
    void moreWorkersThanChunksIsFine() throws Exception {
        List<FakeWorker> workers = List.of(new FakeWorker(), new FakeWorker(), new FakeWorker());
        assertThat(ChunkDispatcher.countAll(PrimesApp.chunks(100, 1), workers, pool).get(30, TimeUnit.SECONDS))
                .isEqualTo(25);
    }

    @Test
    void noChunksSumToZero() throws Exception {
        assertThat(ChunkDispatcher.countAll(List.of(), List.of(new FakeWorker()), pool).get()).isZero();
    }

    @Test
    void describesFailuresOnOneLine() {
        assertThat(ChunkDispatcher.describe(new RuntimeException("first\nsecond"))).isEqualTo(
                "java.lang.RuntimeException: first");
        assertThat(ChunkDispatcher.describe(new NullPointerException())).isEqualTo("java.lang.NullPointerException");
        assertThat(ChunkDispatcher.describe(new ExceptionInInitializerError(new IllegalStateException("no codec"))))
                .isEqualTo("java.lang.ExceptionInInitializerError: java.lang.IllegalStateException: no codec");
        assertThat(ChunkDispatcher.describe(new java.util.concurrent.CompletionException(
                new IllegalArgumentException("bad")))).isEqualTo("java.lang.IllegalArgumentException: bad");
        assertThat(ChunkDispatcher.describe(new dev.rpcparallel.api.RemoteException(
                "primes-1", "function 'count'", "java.lang.IllegalArgumentException", "bad range", "at ...")))
                .isEqualTo("worker 'primes-1', function 'count': java.lang.IllegalArgumentException: bad range");
    }
}
