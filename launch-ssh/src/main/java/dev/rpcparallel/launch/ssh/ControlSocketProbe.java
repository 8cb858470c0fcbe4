package dev.rpcparallel.launch.ssh;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Whether an ssh master connection answers on its control socket, without starting a process:
 * what {@code ssh -O check} tells, in a connect and a read (a process start costs 10 ms and more
 * on every spawn). An ssh master greets every client of its control socket at once with its
 * multiplexing protocol's hello ({@code uint32 length, uint32 MUX_MSG_HELLO = 1, uint32
 * version}); only a running master's event loop sends it.
 *
 * <ul>
 *   <li>no socket file: no master ({@link State#ABSENT});
 *   <li>the connection refused: a socket file left by a master that was killed ({@link State#STALE});
 *   <li>the connection closed before a hello: a master that was exiting ({@link State#GONE});
 *   <li>a hello: a running master ({@link State#ANSWERS}).
 * </ul>
 * A master that accepts but never greets (stopped, or hung) is waited for until the caller's
 * time is up, as {@code ssh -O check} would wait. Stateless.
 */
final class ControlSocketProbe {
    /** The multiplexing protocol's hello message type (OpenSSH's PROTOCOL.mux). */
    static final int MUX_MSG_HELLO = 1;

    /** What the control socket said. */
    enum State {
        ANSWERS, ABSENT, STALE, GONE
    }

    private ControlSocketProbe() {}

    /**
     * Connects to {@code socket} and reads the master's hello.
     *
     * @throws TimeoutException when the socket accepted but no hello came within {@code timeout}
     * @throws IOException when the socket cannot be asked (not a socket, no permission)
     */
    static State probe(Path socket, Duration timeout) throws IOException, TimeoutException {
        if (!Files.exists(socket)) {
            return State.ABSENT;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (ConnectException refused) {
                return State.STALE;
            } catch (NoSuchFileException removed) {
                return State.ABSENT; // the master stopped between the check and the connect
            }
            ByteBuffer hello = ByteBuffer.allocate(12);
            if (!read(channel, hello, timeout)) {
                return State.GONE;
            }
            hello.flip();
            int length = hello.getInt();
            int type = hello.getInt();
            if (length < 8 || type != MUX_MSG_HELLO) {
                throw new IOException("the ssh control socket " + socket + " answered with message type " + type
                        + " (length " + length + "), not an ssh master's hello");
            }
            return State.ANSWERS;
        }
    }

    /** Fills {@code buffer}; false if the other end closed first. */
    private static boolean read(SocketChannel channel, ByteBuffer buffer, Duration timeout)
            throws IOException, TimeoutException {
        long end = System.nanoTime() + timeout.toNanos();
        channel.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_READ);
            while (buffer.hasRemaining()) {
                int read;
                try {
                    read = channel.read(buffer);
                } catch (SocketException reset) {
                    return false; // a master that exited with our connection in its backlog
                }
                if (read < 0) {
                    return false;
                }
                if (read == 0) {
                    long left = end - System.nanoTime();
                    if (left <= 0) {
                        throw new TimeoutException();
                    }
                    selector.select(Math.max(1, left / 1_000_000));
                    selector.selectedKeys().clear();
                }
            }
            return true;
        }
    }
}
