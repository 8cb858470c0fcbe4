package dev.rpcparallel.transport.stream;

import dev.rpcparallel.spi.transport.TransportAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * What a listener says when it cannot accept or serve connections (out of file descriptors, out
 * of threads): once per episode, and once more when connections go through again.
 *
 * <p>An episode is a run of failures up to the next connection that goes through. Its first
 * failure is logged as an ERROR with its stack trace, the others at debug level. Its end ("accepts
 * connections again, after N failures") is logged at the level of its first line, so that
 * whoever saw the one sees the other (Log4j's default configuration prints ERRORs only). At the
 * edge of a limit, failures and connections alternate (a descriptor freed lets one connection in,
 * the next finds none): an episode that begins within {@value #REPEAT_WINDOW_SECONDS} s of the last
 * ERROR is a repeat of that trouble, logged as a WARN without a stack trace, its end too.
 *
 * <p>Logging may fail too when the process is out of descriptors or threads (a logging system that
 * starts then cannot read its files): the line then goes to stderr. Used on the accept thread only.
 */
final class AcceptTrouble {
    /** Its logger, made at the first message: a process that never logs never starts Log4j. */
    private static final class Log {
        static final Logger LOG = LogManager.getLogger(StreamListener.class);
    }

    /** How long after an ERROR a new episode is a repeat of the same trouble. */
    static final long REPEAT_WINDOW_SECONDS = 60;

    private final TransportAddress address;
    /** The clock of a test; {@code null}: {@link System#nanoTime()} (no lambda on the worker's start path). */
    private final LongSupplier nanoClock;
    /** The level the open episode began at; {@code null} when connections go through. */
    private Level episode;
    private int failures;
    private boolean errorLogged;
    private long lastErrorNanos;

    AcceptTrouble(TransportAddress address) {
        this(address, null);
    }

    AcceptTrouble(TransportAddress address, LongSupplier nanoClock) {
        this.address = address;
        this.nanoClock = nanoClock;
    }

    /** A failure to accept or serve a connection: {@code what} went wrong, because of {@code failure}. */
    void failed(String what, Throwable failure) {
        failures++;
        try {
            if (episode != null) {
                Log.LOG.debug("Listener at {}: {} ({} failures in a row)", address, what, failures, failure);
                return;
            }
            long now = nanoClock == null ? System.nanoTime() : nanoClock.getAsLong();
            if (errorLogged && now - lastErrorNanos < TimeUnit.SECONDS.toNanos(REPEAT_WINDOW_SECONDS)) {
                episode = Level.WARN;
                Log.LOG.warn("Listener at {}: {} ({}; again, {} ms after the error logged before)", address, what,
                        failure, TimeUnit.NANOSECONDS.toMillis(now - lastErrorNanos));
            } else {
                episode = Level.ERROR;
                errorLogged = true;
                lastErrorNanos = now;
                Log.LOG.error("Listener at " + address + ": " + what, failure);
            }
        } catch (Throwable loggingFailed) {
            System.err.println("rpc-parallel: listener at " + address + ": " + what + " (" + failure
                    + "); logging it failed: " + loggingFailed);
        }
    }

    /** A connection went through: ends the episode, if one is open, saying so. */
    void succeeded() {
        if (episode == null) {
            return;
        }
        Level level = episode;
        int count = failures;
        episode = null;
        failures = 0;
        try {
            Log.LOG.log(level, "Listener at {} accepts connections again, after {} failures", address, count);
        } catch (Throwable loggingFailed) {
            System.err.println("rpc-parallel: listener at " + address + " accepts connections again, after " + count
                    + " failures; logging it failed: " + loggingFailed);
        }
    }
}
