package dev.rpcparallel.transport.stream;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.spi.transport.ChannelAcceptor;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.TransportAddress;
import dev.rpcparallel.spi.transport.TransportListener;
import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A listening socket of a stream transport and the daemon thread
 * ({@code rpc-parallel-accept-TRANSPORT-LABEL}) that accepts its connections, wraps each in a
 * {@link StreamFrameChannel} and hands it to the acceptor. The transport supplies the socket as
 * a {@link Source}. The thread stops only when the listener closes: running out of file
 * descriptors or threads refuses connections, not the listener.
 *
 * @param <C> the transport's accepted connection (a socket)
 */
public final class StreamListener<C extends Closeable> implements TransportListener {

    /** A listening socket, as the transport has bound it. */
    public interface Source<C extends Closeable> extends Closeable {
        /**
         * Waits for the next connection. Fails once {@link #close()} has been called (which
         * must make a waiting call return).
         *
         * @throws IOException if none can be accepted now (out of file descriptors, say): the
         *     listener retries after a pause
         */
        C accept() throws IOException;

        /**
         * The streams of a connection accepted, with its options set.
         *
         * @throws IOException if this connection cannot be used: it alone is dropped
         */
        StreamConnection open(C connection) throws IOException;
    }

    /** Its logger, made at the first message: a process that never logs never starts Log4j. */
    private static final class Log {
        static final Logger LOG = LogManager.getLogger(StreamListener.class);
    }

    /** How long to wait before accepting again after accept failed (out of file descriptors, say). */
    private static final long ACCEPT_RETRY_MILLIS = 100;

    /** How long {@link #close()} waits for the accept thread. */
    private static final long CLOSE_WAIT_MILLIS = 10_000;

    private final Source<C> source;
    private final TransportAddress address;
    private final int maxFrameSize;
    private final FrameCodec.Factory codecs;
    private final ChannelAcceptor acceptor;
    private final Thread acceptThread;
    private volatile boolean closed;
    /** What the accept thread says of failures: once per episode; used on the accept thread only. */
    private final AcceptTrouble trouble;

    private StreamListener(String transport, String label, Source<C> source, TransportAddress address,
            int maxFrameSize, FrameCodec.Factory codecs, ChannelAcceptor acceptor) {
        this.source = requireNonNull(source, "source");
        this.address = requireNonNull(address, "address");
        this.maxFrameSize = maxFrameSize;
        this.codecs = requireNonNull(codecs, "codecs");
        this.acceptor = requireNonNull(acceptor, "acceptor");
        this.trouble = new AcceptTrouble(address);
        this.acceptThread = new Thread(this::acceptLoop, "rpc-parallel-accept-" + transport + "-" + label);
        acceptThread.setDaemon(true);
    }

    /**
     * Starts accepting on a bound socket.
     *
     * @param transport the transport's name, for the thread's name
     * @param label what tells this listener's thread from others (a port, a file name)
     * @param address the address clients connect to, as {@link #address()} gives it
     * @param maxFrameSize the frame size limit of the channels accepted, until changed
     * @param codecs the framing of the channels
     * @param acceptor where the channels go
     */
    public static <C extends Closeable> StreamListener<C> start(String transport, String label, Source<C> source,
            TransportAddress address, int maxFrameSize, FrameCodec.Factory codecs, ChannelAcceptor acceptor) {
        StreamListener<C> listener = new StreamListener<>(transport, label, source, address, maxFrameSize, codecs,
                acceptor);
        listener.acceptThread.start();
        return listener;
    }

    @Override
    public TransportAddress address() {
        return address;
    }

    /**
     * Closes the listening socket and waits for the accept thread to finish, so that when this
     * returns no connection is accepted and the acceptor is not called any more. Channels
     * already accepted stay open.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            source.close();
        } catch (IOException e) {
            Log.LOG.debug("Closing the listening socket at {} failed", address, e);
        }
        // The socket is released only when the thread blocked in accept() has returned: until
        // then the kernel can still complete connections to it.
        if (Thread.currentThread() != acceptThread) {
            try {
                acceptThread.join(CLOSE_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (acceptThread.isAlive()) {
                Log.LOG.warn("The accept thread of {} has not stopped after {} ms (is the acceptor blocking?)",
                        address, CLOSE_WAIT_MILLIS);
            }
        }
    }

    @Override
    public String toString() {
        return "StreamListener[" + address + (closed ? ", closed" : "") + "]";
    }

    /**
     * Accepts until closed. Nothing but the close ends it: a failure to accept (out of file
     * descriptors) is retried after a pause, and a connection that cannot be served (no thread
     * can be started for it, under a limit on threads) is refused alone. Either is logged once
     * per episode, and once more when connections go through again ({@link AcceptTrouble}).
     */
    private void acceptLoop() {
        while (!closed) {
            C socket;
            try {
                socket = source.accept();
            } catch (IOException e) {
                if (closed) {
                    break;
                }
                trouble.failed("accepting a connection failed; retrying every " + ACCEPT_RETRY_MILLIS + " ms", e);
                if (!pause()) {
                    break;
                }
                continue;
            }
            if (closed) {
                // Accepted as the listener closed: refuse it rather than hand it over late.
                closeQuietly(socket);
                break;
            }
            FrameChannel channel;
            StreamConnection opened = null;
            try {
                opened = source.open(socket);
                channel = new StreamFrameChannel(opened, maxFrameSize, codecs);
            } catch (IOException | RuntimeException e) {
                Log.LOG.warn("Dropping a connection accepted at {}", address, e);
                closeQuietly(opened, socket);
                continue;
            } catch (OutOfMemoryError e) {
                closeQuietly(opened, socket);
                trouble.failed("refused a connection: no memory for its buffers (" + e.getMessage()
                        + "); refusing each connection that cannot be served, still accepting", e);
                continue;
            }
            try {
                acceptor.accept(channel);
                trouble.succeeded();
            } catch (RuntimeException e) {
                Log.LOG.error("The acceptor of {} failed on the channel from {}; closing it", address,
                        channel.remoteAddress(), e);
                channel.close();
            } catch (OutOfMemoryError e) {
                // Most likely "unable to create native thread": this connection is refused, the next may pass.
                channel.close();
                trouble.failed("refused the connection from " + channel.remoteAddress() + ": " + e.getMessage()
                        + "; refusing each connection that cannot be served, still accepting", e);
            }
        }
    }

    private boolean pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(ACCEPT_RETRY_MILLIS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Closes what the connection was opened as (which may hold more than the socket), then the socket. */
    private static void closeQuietly(StreamConnection opened, Closeable socket) {
        if (opened != null) {
            closeQuietly(opened.connection());
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Closeable socket) {
        try {
            socket.close();
        } catch (IOException | RuntimeException e) {
            // Nothing more to do with it.
        }
    }
}
