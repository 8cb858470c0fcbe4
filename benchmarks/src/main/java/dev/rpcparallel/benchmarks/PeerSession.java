package dev.rpcparallel.benchmarks;

/** One started child of a {@link Peer}, measured by the call figures of {@link PeerFigures}. */
interface PeerSession extends AutoCloseable {
    /** The process id of the child that answers (its resident size is read from {@code /proc}). */
    long pid();

    /** Makes {@code calls} blocking echoes of {@code payload} one after the other, adding each one's nanoseconds. */
    void roundTrips(byte[] payload, int calls, Samples into) throws Exception;

    /** Echoes per second with {@code inFlight} calls outstanding at all times, for {@code seconds}. */
    double callsPerSecond(byte[] payload, int inFlight, double seconds) throws Exception;

    /**
     * Argument bytes per second of blocking echoes of {@code payload}, for at least
     * {@code seconds} and {@code minCalls} calls; each answer's length checked.
     */
    double echoBytesPerSecond(byte[] payload, double seconds, int minCalls) throws Exception;

    /** Stops the child and waits for its exit. */
    @Override
    void close() throws Exception;
}
