package dev.rpcparallel.transport.thrift;

import dev.rpcparallel.spi.transport.ChannelAcceptor;
import dev.rpcparallel.spi.transport.TransportListener;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A listening socket and the daemon thread that accepts its connections, wraps each in a
 * {@link ThriftFrameChannel} and hands it to the acceptor.
 */
final class ThriftListener implements TransportListener {

    private static final Logger LOG = LogManager.getLogger(ThriftListener.class);

    /** How long to wait before accepting again after accept failed (out of file descriptors, say). */
    private static final long ACCEPT_RETRY_MILLIS = 100;

    /** How long {@link #close()} waits for the accept thread. */
    private static final long CLOSE_WAIT_MILLIS = 10_000;

    private final ServerSocket serverSocket;
    private final String address;
    private final int maxFrameSize;
    private final ChannelAcceptor acceptor;
    private final Thread acceptThread;
    private volatile boolean closed;

    ThriftListener(ServerSocket serverSocket, String address, int maxFrameSize, ChannelAcceptor acceptor) {
        this.serverSocket = serverSocket;
        this.address = address;
        this.maxFrameSize = maxFrameSize;
        this.acceptor = acceptor;
        this.acceptThread = new Thread(this::acceptLoop, "rpc-parallel-accept-thrift-" + serverSocket.getLocalPort());
        acceptThread.setDaemon(true);
    }

    void start() {
        acceptThread.start();
        LOG.debug("Listening at {}", address);
    }

    @Override
    public String address() {
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
            serverSocket.close();
        } catch (IOException e) {
            LOG.debug("Closing the listening socket at {} failed", address, e);
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
                LOG.warn("The accept thread of {} has not stopped after {} ms (is the acceptor blocking?)",
                        address, CLOSE_WAIT_MILLIS);
            }
        }
        LOG.debug("Stopped listening at {}", address);
    }

    @Override
    public String toString() {
        return "ThriftListener[" + address + (closed ? ", closed" : "") + "]";
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (closed) {
                    break;
                }
                LOG.warn("Accepting a connection at {} failed; retrying", address, e);
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
            ThriftFrameChannel channel;
            try {
                ThriftTransport.configure(socket);
                channel = new ThriftFrameChannel(socket, maxFrameSize);
            } catch (IOException e) {
                LOG.warn("Dropping a connection accepted at {}", address, e);
                closeQuietly(socket);
                continue;
            }
            LOG.debug("Accepted a connection from {} at {}", channel.remoteAddress(), address);
            try {
                acceptor.accept(channel);
            } catch (RuntimeException e) {
                LOG.error("The acceptor of {} failed on the channel from {}; closing it", address,
                        channel.remoteAddress(), e);
                channel.close();
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

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing more to do with it.
        }
    }
}
