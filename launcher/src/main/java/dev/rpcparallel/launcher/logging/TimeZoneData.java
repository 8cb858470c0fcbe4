package dev.rpcparallel.launcher.logging;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;

/**
 * The time-zone data that a log line's time stamp needs, read from the JDK's files once per
 * process: read at a process's first printed log line, it fails for good (the JDK's time-zone
 * classes do not retry a failed first read) if that line comes when the process is out of file
 * descriptors, which is just when a worker has something to say ("Listener at ...: too many
 * open files").
 *
 * <p>A worker whose Log4j core starts only at its first printed line ({@link
 * LazyLog4jContextFactory}) does not read the data at its start (453 KB of heap and 22 classes
 * that a worker that never logs would keep): it holds one file descriptor in reserve instead
 * ({@link #reserveDescriptor()}), and {@link #load()}, called before core starts, releases it
 * just before it reads the files (one at a time, each closed before the next). Another thread of
 * the process that opens a file in that instant can take the released descriptor; the read then
 * fails as it would have without the reserve.
 *
 * <p>Thread-safe: both methods hold this class's lock.
 */
final class TimeZoneData {
    /** The descriptor held for {@link #load()}: the JDK's time-zone data file, opened, never read. */
    private static FileInputStream reserve;
    private static boolean loaded;

    private TimeZoneData() {}

    /** Opens the descriptor {@link #load()} releases; a process that cannot open it goes without. */
    static synchronized void reserveDescriptor() {
        if (reserve != null || loaded) {
            return;
        }
        try {
            reserve = new FileInputStream(System.getProperty("java.home") + File.separator + "lib" + File.separator
                    + "tzdb.dat");
        } catch (IOException | SecurityException e) {
            // No reserve: load() then reads as any first log line would.
        }
    }

    /** Reads the default time zone and its rules, once; releases the reserved descriptor first. */
    static synchronized void load() {
        if (loaded) {
            return;
        }
        FileInputStream held = reserve;
        reserve = null;
        if (held != null) {
            try {
                held.close();
            } catch (IOException e) {
                // Closed or not, the descriptor is released.
            }
        }
        java.time.ZoneId.systemDefault().getRules();
        java.util.TimeZone.getDefault();
        loaded = true;
    }
}
