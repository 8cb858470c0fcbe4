package dev.rpcparallel.benchmarks;

import static dev.rpcparallel.benchmarks.ResultTable.rate;
import static dev.rpcparallel.benchmarks.ResultTable.ratio;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.benchmarks.BaselineClients.RawStream;
import dev.rpcparallel.benchmarks.ResultTable.Verdict;

/**
 * 2.6 pipe streaming: small elements per second through one pipe ({@link Bench#COUNT}, the
 * numbers 0 until n as {@code int64} elements) with the library's credit-based backpressure on,
 * read by one consumer thread with the stream's iterator. Against the raw stream server of
 * {@link BaselineServers}: the same elements, encoded with the same codec, length-prefixed on a
 * plain socket, decoded one by one by the reader. Rounds alternate; medians of the rounds.
 */
final class PipeFigure {
    private PipeFigure() {}

    static void run(Scale scale, ResultTable table, Connection connection, int streamPort) throws Exception {
        boolean quick = scale == Scale.QUICK;
        long count = quick ? 20_000 : 2_000_000;
        int rounds = quick ? 1 : 3;
        try (RawStream raw = new RawStream(streamPort)) {
            // Warm-up, unmeasured.
            ours(connection, count / 2);
            baseline(raw, count / 2);
            double[] oursRates = new double[rounds];
            double[] rawRates = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                oursRates[round] = ours(connection, count);
                rawRates[round] = baseline(raw, count);
            }
            double oursRate = Samples.median(oursRates);
            double rawRate = Samples.median(rawRates);
            table.add("2.6", "pipe streaming: " + String.format("%,d", count) + " int64 elements/s, backpressure on"
                            + " (median of " + rounds + ")", rate(oursRate, "elements/s"),
                    "raw socket stream, same encoded elements, length-prefixed", rate(rawRate, "elements/s"),
                    ratio(oursRate / rawRate), "≥ 1,000,000/s", Verdict.of(oursRate >= 1_000_000));
        }
    }

    /** Elements per second of one pipe of {@code count} elements. */
    private static double ours(Connection connection, long count) {
        long start = System.nanoTime();
        long sum = 0;
        long n = 0;
        try (RemoteStream<Long> numbers = connection.pipe(Bench.COUNT, count)) {
            for (long value : numbers) {
                sum += value;
                n++;
            }
        }
        long elapsed = System.nanoTime() - start;
        check(n, sum, count);
        return n / (elapsed / 1e9);
    }

    private static double baseline(RawStream raw, long count) throws Exception {
        long start = System.nanoTime();
        long sum = raw.sum(count);
        long elapsed = System.nanoTime() - start;
        check(count, sum, count);
        return count / (elapsed / 1e9);
    }

    private static void check(long n, long sum, long count) {
        if (n != count || sum != count * (count - 1) / 2) {
            throw new IllegalStateException("the stream of " + count + " numbers gave " + n + " elements summing to "
                    + sum);
        }
    }
}
