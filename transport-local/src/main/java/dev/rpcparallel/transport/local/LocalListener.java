package dev.rpcparallel.transport.local;

import dev.rpcparallel.spi.transport.ChannelAcceptor;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.TransportAddress;
import dev.rpcparallel.spi.transport.TransportListener;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A name in this JVM that connections reach, and the daemon thread that hands each accepted one
 * to the acceptor. Closing it removes the name; connections not yet handed over are closed.
 */
final class LocalListener implements TransportListener {
    /** Its logger, made at the first message: a process that never logs never starts Log4j. */
    private static final class Log {
        static final Logger LOG = LogManager.getLogger(LocalListener.class);
    }
    /** How long {@link #close()} waits for the accept thread. */
    private static final long CLOSE_WAIT_MILLIS = 10_000;

    private final TransportAddress address;
    private final int maxFrameSize;
    private final ChannelAcceptor acceptor;
    private final Runnable onClose;
    private final ExecutorService acceptThread;
    private volatile Thread acceptingThread;
    private volatile boolean closed;

    LocalListener(TransportAddress address, int maxFrameSize, ChannelAcceptor acceptor, Runnable onClose) {
        this.address = address;
        this.maxFrameSize = maxFrameSize;
        this.acceptor = acceptor;
        this.onClose = onClose;
        this.acceptThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "rpc-parallel-accept-local-" + address.location());
            thread.setDaemon(true);
            acceptingThread = thread;
            return thread;
        });
    }

    @Override
    public TransportAddress address() {
        return address;
    }

    /** Queues the server's end of a new connection for the acceptor. */
    void offer(LocalConnection serverEnd) throws ConnectException {
        try {
            acceptThread.execute(() -> accept(serverEnd));
        } catch (RejectedExecutionException e) {
            serverEnd.close();
            throw new ConnectException("cannot connect to " + address + ": the listener is closed");
        }
    }

    private void accept(LocalConnection serverEnd) {
        if (closed) {
            // Connected as the listener closed: refused rather than handed over late.
            serverEnd.close();
            return;
        }
        FrameChannel channel;
        try {
            channel = LocalTransport.channel(serverEnd, maxFrameSize);
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            Log.LOG.warn("Dropping a connection accepted at {}", address, e);
            serverEnd.close();
            return;
        }
        try {
            acceptor.accept(channel);
        } catch (RuntimeException | OutOfMemoryError e) {
            Log.LOG.error("The acceptor of {} failed on the channel from {}; closing it", address,
                    channel.remoteAddress(), e);
            channel.close();
        }
    }

    /**
     * Removes the name and waits for the accept thread, so that when this returns the acceptor
     * is not called any more. Channels already accepted stay open.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        onClose.run();
        acceptThread.shutdown();
        if (Thread.currentThread() != acceptingThread) {
            try {
                if (!acceptThread.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    Log.LOG.warn("The accept thread of {} has not stopped after {} ms (is the acceptor blocking?)",
                            address, CLOSE_WAIT_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "LocalListener[" + address + (closed ? ", closed" : "") + "]";
    }
}
