package dev.rpcparallel.benchmarks;

/**
 * How much to measure. {@link #FULL} is the suite of BENCHMARKS.md (several minutes);
 * {@link #QUICK} only proves that every figure runs (the smoke test, well under a minute).
 */
record Scale(
        String name,
        int warmupSpawns,
        int sequentialSpawns,
        int parallelSpawns,
        int parallelRounds,
        int roundTripWarmup,
        double roundTripWarmupSeconds,
        int roundTripRounds,
        int roundTripCallsPerRound,
        double throughputSeconds,
        int throughputRounds,
        double bandwidthSeconds,
        int bandwidthRounds,
        long primesLimit,
        int speedupRounds,
        int idleWorkers,
        int idleSeconds,
        int peerStartRounds) {

    static final Scale FULL = new Scale("full", 2, 20, 8, 3, 20_000, 3.0, 5, 10_000, 2.0, 3, 2.0, 3,
            4_000_000_000L, 3, 50, 2, 10);

    static final Scale QUICK = new Scale("quick", 0, 2, 2, 1, 200, 0.0, 2, 300, 0.2, 1, 0.1, 1,
            20_000_000L, 1, 2, 0, 1);

    /**
     * Whether a round-trip warm-up that began at {@code startNanos} and has made {@code calls}
     * calls goes on: until it has made {@link #roundTripWarmup} calls and run for
     * {@link #roundTripWarmupSeconds}, both. The time is for the JIT: after a count of calls
     * alone, both JVMs' compilers were still compiling the call path during the timed rounds
     * (BENCHMARKS.md, "The slowest 1% of round trips, profiled"). Every contender gets the same.
     */
    boolean roundTripWarmingUp(long calls, long startNanos) {
        return calls < roundTripWarmup || System.nanoTime() - startNanos < (long) (roundTripWarmupSeconds * 1e9);
    }
}
