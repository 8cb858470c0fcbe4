package dev.rpcparallel.benchmarks;

/**
 * A contender of the peer comparison ({@link PeerFigures}): a way to run a function in another
 * process and call it, as a user might choose instead of rpc-parallel. Each start makes a fresh
 * child (process, or worker) that answers {@code echo(bytes) -> bytes}.
 */
interface Peer extends AutoCloseable {
    /** The column heading in the peer table. */
    String name();

    /**
     * Starts a fresh child and returns once it answered its first {@link CallFigures#SMALL}-byte
     * echo, with the time from the start of the start to that answer, as the peer measured it.
     */
    Started start() throws Exception;

    /** Releases what the peer holds beyond its sessions (a driver process, a pooled master). */
    @Override
    default void close() throws Exception {}

    /** A started child and how long it took until its first answer. */
    record Started(PeerSession session, long nanosToFirstAnswer) {}
}
