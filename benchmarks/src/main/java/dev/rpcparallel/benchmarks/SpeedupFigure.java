package dev.rpcparallel.benchmarks;

import static dev.rpcparallel.benchmarks.ResultTable.ratio;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.benchmarks.ResultTable.Verdict;
import dev.rpcparallel.sample.primes.Primes;
import dev.rpcparallel.sample.primes.SegmentedSieve;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;

/**
 * 2.7: the primes below a limit counted on one {@code primes} worker, then on two, the range
 * cut into chunks that each worker takes one at a time as it finishes the last (one call in
 * flight per worker). The same-run baseline is what the machine gives: the same sieve on one
 * thread, then two, in this JVM. Rounds alternate; medians are compared.
 */
final class SpeedupFigure {
    private static final int CHUNKS = 64;

    private SpeedupFigure() {}

    static void run(Scale scale, ResultTable table) throws Exception {
        long limit = scale.primesLimit();
        List<Primes.Range> chunks = chunks(limit);
        WorkerRef first = Parallel.spawn(Primes.TYPE, null, SpawnOptions.builder().name("primes-a").build());
        WorkerRef second = Parallel.spawn(Primes.TYPE, null, SpawnOptions.builder().name("primes-b").build());
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Connection a = Parallel.connect(first); Connection b = Parallel.connect(second)) {
            List<ToLongFunction<Primes.Range>> one = List.of(range -> a.call(Primes.COUNT, range));
            List<ToLongFunction<Primes.Range>> two = List.of(range -> a.call(Primes.COUNT, range),
                    range -> b.call(Primes.COUNT, range));
            List<ToLongFunction<Primes.Range>> oneThread = List.of(SpeedupFigure::sieve);
            List<ToLongFunction<Primes.Range>> twoThreads = List.of(SpeedupFigure::sieve, SpeedupFigure::sieve);
            // Warm-up: both workers and this JVM run the sieve before anything is timed.
            List<Primes.Range> warmup = chunks(Math.max(limit / 8, 1_000_000));
            count(threads, warmup, two);
            count(threads, warmup, List.of(range -> b.call(Primes.COUNT, range)));
            count(threads, warmup, oneThread);

            Samples oneWorker = new Samples();
            Samples twoWorkers = new Samples();
            Samples oneThreadTimes = new Samples();
            Samples twoThreadTimes = new Samples();
            long expected = -1;
            for (int round = 0; round < scale.speedupRounds(); round++) {
                long[] results = new long[4];
                oneWorker.add(timed(() -> results[0] = count(threads, chunks, one)));
                twoWorkers.add(timed(() -> results[1] = count(threads, chunks, two)));
                oneThreadTimes.add(timed(() -> results[2] = count(threads, chunks, oneThread)));
                twoThreadTimes.add(timed(() -> results[3] = count(threads, chunks, twoThreads)));
                for (long result : results) {
                    if (expected >= 0 && result != expected) {
                        throw new IllegalStateException("prime counts disagree: " + java.util.Arrays.toString(results));
                    }
                    expected = result;
                }
            }
            double workers = (double) oneWorker.median() / twoWorkers.median();
            double machine = (double) oneThreadTimes.median() / twoThreadTimes.median();
            table.add("2.7", String.format(Locale.ROOT, "primes < %,d: 2 workers vs 1 (median of %d)", limit,
                            scale.speedupRounds()),
                    String.format(Locale.ROOT, "%.2f× (%.2f s → %.2f s)", workers, oneWorker.median() / 1e9,
                            twoWorkers.median() / 1e9),
                    "same sieve, 2 threads vs 1, one JVM",
                    String.format(Locale.ROOT, "%.2f× (%.2f s → %.2f s)", machine, oneThreadTimes.median() / 1e9,
                            twoThreadTimes.median() / 1e9),
                    ratio(workers / machine), "≥ 1.85× on 2 cores", Verdict.of(workers >= 1.85));
        } finally {
            threads.shutdownNow();
            Parallel.shutdown(first);
            Parallel.shutdown(second);
        }
    }

    private static long sieve(Primes.Range range) {
        return SegmentedSieve.countPrimes(range.from(), range.to());
    }

    static List<Primes.Range> chunks(long limit) {
        List<Primes.Range> chunks = new ArrayList<>();
        for (int i = 0; i < CHUNKS; i++) {
            chunks.add(new Primes.Range(limit * i / CHUNKS, limit * (i + 1) / CHUNKS));
        }
        return chunks;
    }

    /** Counts every chunk, each counter taking the next chunk when it has finished its last. */
    static long count(ExecutorService threads, List<Primes.Range> chunks,
            List<ToLongFunction<Primes.Range>> counters) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Future<Long>> parts = new ArrayList<>();
        for (ToLongFunction<Primes.Range> counter : counters) {
            parts.add(threads.submit(() -> {
                long sum = 0;
                for (int i = next.getAndIncrement(); i < chunks.size(); i = next.getAndIncrement()) {
                    sum += counter.applyAsLong(chunks.get(i));
                }
                return sum;
            }));
        }
        long total = 0;
        for (Future<Long> part : parts) {
            total += part.get(30, TimeUnit.MINUTES);
        }
        return total;
    }

    interface Body {
        void run() throws Exception;
    }

    static long timed(Body body) throws Exception {
        long start = System.nanoTime();
        body.run();
        return System.nanoTime() - start;
    }
}
