package dev.rpcparallel.sample.primestream;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.PipeFunction;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.WorkerType;

/**
 * The contract of the {@code primestream} worker type: a pipe that streams the primes of a range
 * in ascending order, and a function that says how far the last stream's producer got. Implemented
 * by {@link PrimeStreamWorker}; {@link PrimeStreamApp} shows backpressure and cancellation with it.
 *
 * <pre>{@code
 * try (Connection c = Parallel.spawnAndConnect(PrimeStream.TYPE, null, null, SpawnOptions.defaults());
 *         RemoteStream<Long> primes = c.pipe(PrimeStream.PRIMES, new PrimeStream.Range(0, 100))) {
 *     for (long p : primes) { System.out.println(p); } // 2, 3, 5, ..., 97
 * }
 * }</pre>
 */
public final class PrimeStream {

    /** A worker that streams primes; it takes no init argument. */
    public static final WorkerType<Void, Void> TYPE = WorkerType.of("primestream", Codecs.none(), Codecs.none());

    /**
     * Streams the primes {@code p} with {@code from <= p < to}, ascending, at the consumer's pace.
     * The worker rejects a range that does not have {@code 0 <= from <= to <= 10^12}.
     */
    public static final PipeFunction<Range, Long> PRIMES =
            PipeFunction.of("primes", Codecs.record(Range.class), Codecs.int64());

    /** How far the worker's most recent {@link #PRIMES} stream got. */
    public static final RpcFunction<Void, Status> STATUS =
            RpcFunction.of("status", Codecs.none(), Codecs.record(Status.class));

    /** The numbers {@code n} with {@code from <= n < to}. */
    public record Range(long from, long to) {}

    /**
     * The most recent stream's producer: how many primes it has written (each {@code write}
     * returned), whether it saw the stream cancelled, and whether it wrote them all.
     */
    public record Status(long produced, boolean cancelled, boolean finished) {}

    private PrimeStream() {}
}
