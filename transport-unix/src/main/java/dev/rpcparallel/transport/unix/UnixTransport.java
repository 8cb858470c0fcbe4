package dev.rpcparallel.transport.unix;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.spi.transport.ChannelAcceptor;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.ListenOptions;
import dev.rpcparallel.spi.transport.Transport;
import dev.rpcparallel.spi.transport.TransportAddress;
import dev.rpcparallel.spi.transport.TransportConfig;
import dev.rpcparallel.spi.transport.TransportListener;
import dev.rpcparallel.transport.stream.ChannelStreams;
import dev.rpcparallel.transport.stream.StreamConnection;
import dev.rpcparallel.transport.stream.StreamFrameChannel;
import dev.rpcparallel.transport.stream.StreamListener;
import dev.rpcparallel.transport.thrift.ThriftFrameCodec;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * The {@code unix} transport: frames travel over Unix domain sockets of this host, as the
 * {@code thrift} transport's frames (Thrift's framed transport, compact protocol: the same
 * protocol on every transport), through the JDK's {@code AF_UNIX} channels; no native library.
 * Addresses are {@code unix:///path/to/socket}.
 *
 * <p>Listeners bind socket files in a directory private to this process and its user
 * ({@link SocketDirectory}): mode 0700, deleted when the listener closes and at the JVM's exit,
 * and by the next process to listen if this one is killed. A connection from a process of
 * another user (its uid as the kernel tells it, {@code SO_PEERCRED}) is refused before any byte
 * is read, with one line in the log; the runtime's handshake with the secret still runs on the
 * others. TLS is refused: a local socket never leaves the host.
 *
 * <p>Found with {@link java.util.ServiceLoader}; thread-safe. The process's socket directory is
 * made by the first listener.
 */
public final class UnixTransport implements Transport {

    /** The transport's name and address scheme. */
    public static final String NAME = "unix";

    /** Why TLS settings are refused, as the exception says it. */
    static final String NO_TLS = "The unix transport does not do TLS: its sockets never leave this host, and it refuses"
            + " processes of other users by their uid. Leave TLS out of the settings (RpcSettings.withTls(null)) with"
            + " transport=unix, or choose transport=thrift for TLS.";

    /** Pending connections the listening socket queues before they are accepted. */
    private static final int BACKLOG = 256;

    private final DirectorySource directories;
    private final Throwable unavailable;
    /** The only user who may connect; {@code null} for the owner of the socket directory (this process's user). */
    private final String allowedUser;

    /** Where a transport's socket directory comes from. */
    @FunctionalInterface
    interface DirectorySource {
        SocketDirectory get() throws IOException;
    }

    /** Creates the transport; {@link java.util.ServiceLoader} calls this. */
    public UnixTransport() {
        this(ProcessDirectory::get, Availability.CAUSE, null);
    }

    UnixTransport(DirectorySource directories, Throwable unavailable, String allowedUser) {
        this.directories = requireNonNull(directories, "directories");
        this.unavailable = unavailable;
        this.allowedUser = allowedUser;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean isAvailable() {
        return unavailable == null;
    }

    @Override
    public Throwable unavailabilityCause() {
        return unavailable;
    }

    @Override
    public TransportListener listen(ListenOptions options, TransportConfig config, ChannelAcceptor acceptor)
            throws IOException {
        requireNonNull(options, "options");
        requireNonNull(config, "config");
        requireNonNull(acceptor, "acceptor");
        requireUsable(config);
        SocketDirectory directory = directories.get();
        String user = allowedUser != null ? allowedUser : directory.ownerName();
        Path file = directory.nextSocket();
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(file), BACKLOG);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw new IOException("cannot listen at " + file + ": " + e.getMessage(), e);
        }
        TransportAddress address = new TransportAddress(NAME, file.toString());
        return StreamListener.start(NAME, file.getFileName().toString(),
                new ListeningSocket(server, file, address, user), address, config.maxFrameSize(),
                ThriftFrameCodec.FACTORY, acceptor);
    }

    @Override
    public FrameChannel connect(TransportAddress address, TransportConfig config) throws IOException {
        requireNonNull(address, "address");
        requireNonNull(config, "config");
        Path socket = socketPath(address);
        requireUsable(config);
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        ConnectDeadline deadline = new ConnectDeadline(channel, config.connectTimeout());
        try (deadline) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            SendBuffer.size(channel);
        } catch (IOException e) {
            channel.close();
            IOException failure = deadline.expired()
                    ? new java.net.SocketTimeoutException("cannot connect to " + address + " within "
                            + config.connectTimeout().toMillis() + " ms: its listener does not accept connections")
                    : new java.net.ConnectException("cannot connect to " + address + ": " + e.getMessage());
            failure.initCause(e);
            throw failure;
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
        if (deadline.expired()) {
            // Connected just as the deadline closed the channel.
            channel.close();
            throw new java.net.SocketTimeoutException("cannot connect to " + address + " within "
                    + config.connectTimeout().toMillis() + " ms");
        }
        StreamConnection connection = ChannelStreams.connection(NAME, address.toString(), channel);
        try {
            return new StreamFrameChannel(connection, config.maxFrameSize(), ThriftFrameCodec.FACTORY);
        } catch (IOException | RuntimeException e) {
            // The connection's selectors as well as the channel.
            connection.connection().close();
            throw e;
        }
    }

    /**
     * The socket file of an address: {@code unix:///path/to/socket}.
     *
     * @throws IllegalArgumentException if the address is another transport's, or not an absolute path
     */
    static Path socketPath(TransportAddress address) {
        address.requireScheme(NAME);
        if (!address.location().startsWith("/")) {
            throw new IllegalArgumentException("not a unix address (expected unix:///absolute/path/to/socket): " + address);
        }
        return Path.of(address.location());
    }

    private void requireUsable(TransportConfig config) {
        if (unavailable != null) {
            throw new IllegalStateException("The unix transport cannot be used here: " + unavailable, unavailable);
        }
        if (config.usesTls()) {
            throw new IllegalArgumentException(NO_TLS);
        }
    }

    @Override
    public String toString() {
        return "UnixTransport";
    }

    /** The socket directory of this process, made once, on the first listen. */
    private static final class ProcessDirectory {
        private static SocketDirectory directory;

        static synchronized SocketDirectory get() throws IOException {
            if (directory == null) {
                SocketDirectory made = SocketDirectory.ofThisProcess();
                Thread cleanup = new Thread(made::delete, "rpc-parallel-unix-sockets-cleanup");
                Runtime.getRuntime().addShutdownHook(cleanup);
                directory = made;
            }
            return directory;
        }
    }

    /** Whether this platform has {@code AF_UNIX} stream sockets, tried once. */
    static final class Availability {
        static final Throwable CAUSE = probe();

        private Availability() {}

        static Throwable probe() {
            try {
                SocketChannel.open(StandardProtocolFamily.UNIX).close();
                return null;
            } catch (UnsupportedOperationException | IOException e) {
                return new UnsupportedOperationException("this platform or JDK has no Unix domain sockets (AF_UNIX): "
                        + e.getMessage() + "; choose transport=thrift", e);
            }
        }
    }
}
