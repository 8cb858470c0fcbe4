package dev.rpcparallel.launcher.protocol;


/**
 * Keeps a blocking wait on a connection's reading thread from waiting forever. Futures complete,
 * and direct-pipe callbacks run, on the reading thread of their connection; a dependent stage or
 * callback that makes a blocking call there would wait for an answer that only that thread can
 * read. So every blocking wait of this library first asks {@link #beforeBlocking()}: on a
 * reading thread, reading is handed over to a new thread, and this one is free to wait. A wait
 * that does not block (the answer is there) costs nothing, and a call that does not wait on a
 * reading thread costs one thread-local read.
 */
public final class ReadingThreads {
    /** The connection whose reader the current thread is, if it is one. */
    private static final ThreadLocal<Reader> READING = new ThreadLocal<>();

    private ReadingThreads() {}

    /** A connection whose reading thread can hand reading over to a new thread. */
    public interface Reader {
        /**
         * Lets another thread read this connection from now on: the current thread, its reader,
         * is about to block.
         *
         * @throws IllegalStateException if the transport cannot hand reading over
         */
        void handOffReading();
    }

    /** The current thread has become the reading thread of {@code connection}. */
    public static void reading(Reader connection) {
        READING.set(connection);
    }

    /** Whether the current thread reads a connection (and has not handed reading over). */
    public static boolean isReadingThread() {
        return READING.get() != null;
    }

    /**
     * Called by a thread about to block: if it is a connection's reading thread, that connection
     * reads on with another thread from now on.
     *
     * @throws IllegalStateException if the connection's transport cannot hand reading over: the
     *     wait would never end
     */
    public static void beforeBlocking() {
        Reader connection = READING.get();
        if (connection != null) {
            connection.handOffReading(); // throws, and this thread stays the reader, if it cannot
            READING.remove();
        }
    }
}
