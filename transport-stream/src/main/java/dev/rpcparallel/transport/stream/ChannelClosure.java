package dev.rpcparallel.transport.stream;

import dev.rpcparallel.spi.transport.FrameHandler;
import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Whether, and why, one {@link StreamFrameChannel} closed: the first of its closings records its
 * cause and closes the connection, the later ones change nothing; its handler hears of it once;
 * its sends fail with the cause attached.
 *
 * <p>Thread-safe: any thread may close; the reading thread notifies the handler.
 */
final class ChannelClosure {

    /** Its logger, made at the first message: a process that never logs never starts Log4j. */
    private static final class Log {
        static final Logger LOG = LogManager.getLogger(StreamFrameChannel.class);
    }

    /** Why the channel closed: {@code cause} is {@code null} for a close asked for. */
    private record Closure(Throwable cause) {}

    private final Closeable connection;
    private final String remoteAddress;
    /** Set once, by whatever closes the channel first; holds the cause given to the handler. */
    private final AtomicReference<Closure> closure = new AtomicReference<>();
    private final AtomicBoolean handlerNotified = new AtomicBoolean();

    ChannelClosure(Closeable connection, String remoteAddress) {
        this.connection = connection;
        this.remoteAddress = remoteAddress;
    }

    boolean isClosed() {
        return closure.get() != null;
    }

    /**
     * Records why the channel closes ({@code null}: it was asked to) and closes the connection;
     * false if it was already closed.
     */
    boolean closeWith(Throwable cause) {
        if (!closure.compareAndSet(null, new Closure(cause))) {
            return false;
        }
        try {
            connection.close();
        } catch (IOException | RuntimeException e) {
            Log.LOG.debug("Closing the connection to {} failed", remoteAddress, e);
        }
        return true;
    }

    /** Throws, with the cause of the closing, if the channel is closed. */
    void checkOpen() throws IOException {
        Closure closed = closure.get();
        if (closed != null) {
            IOException e = new IOException("channel to " + remoteAddress + " is closed");
            if (closed.cause() != null) {
                e.initCause(closed.cause());
            }
            throw e;
        }
    }

    /** What a send that failed with {@code e} reports: the closing, if the channel closed under it. */
    IOException writeFailure(Exception e) {
        Closure closed = closure.get();
        if (closed != null) {
            IOException failure = new IOException("channel to " + remoteAddress + " is closed", e);
            if (closed.cause() != null) {
                failure.addSuppressed(closed.cause());
            }
            return failure;
        }
        if (e instanceof IOException io) {
            return io;
        }
        return new IOException("sending to " + remoteAddress + " failed", e);
    }

    /** Tells {@code handler} the channel closed, and why, the first time only. */
    void notifyHandler(FrameHandler handler) {
        if (!handlerNotified.compareAndSet(false, true)) {
            return;
        }
        Closure closed = closure.get();
        try {
            handler.onClosed(closed == null ? null : closed.cause());
        } catch (RuntimeException e) {
            Log.LOG.error("Frame handler of the channel to {} failed on close", remoteAddress, e);
        }
    }
}
