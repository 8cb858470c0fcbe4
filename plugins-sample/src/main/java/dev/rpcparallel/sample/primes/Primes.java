package dev.rpcparallel.sample.primes;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.WorkerType;

/**
 * The contract of the {@code primes} worker type: what a master needs to spawn and call it.
 * Implemented by {@link PrimesWorker}.
 *
 * <pre>{@code
 * WorkerRef worker = Parallel.spawn(Primes.TYPE, null, SpawnOptions.defaults());
 * try (Connection c = Parallel.connect(worker, Primes.TYPE, null)) {
 *     long n = c.call(Primes.COUNT, new Primes.Range(0, 10_000_000)); // 664579
 * }
 * }</pre>
 */
public final class Primes {

    /** A worker that counts primes; it takes no init arguments. */
    public static final WorkerType<Void, Void> TYPE = WorkerType.of("primes", Codecs.none(), Codecs.none());

    /**
     * Counts the primes in a {@link Range}. The worker rejects ranges that
     * {@link SegmentedSieve#countPrimes} rejects, with an {@link IllegalArgumentException}.
     */
    public static final RpcFunction<Range, Long> COUNT =
            RpcFunction.of("count", Codecs.record(Range.class), Codecs.int64());

    /**
     * The numbers {@code n} with {@code from <= n < to}. A plain value: checked by the worker
     * that counts it, not here.
     */
    public record Range(long from, long to) {
        @Override
        public String toString() {
            return "[" + from + ", " + to + ")";
        }
    }

    private Primes() {}
}
