package dev.rpcparallel.transport.thrift;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.spi.transport.ChannelAcceptor;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.ListenOptions;
import dev.rpcparallel.spi.transport.Transport;
import dev.rpcparallel.spi.transport.TransportAddress;
import dev.rpcparallel.spi.transport.TransportConfig;
import dev.rpcparallel.spi.transport.TransportListener;
import dev.rpcparallel.transport.stream.StreamConnection;
import dev.rpcparallel.transport.stream.StreamFrameChannel;
import dev.rpcparallel.transport.stream.StreamListener;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The {@code thrift} transport: frames travel over TCP as Thrift framed-transport frames, each a
 * {@code WireFrame} struct (see {@code rpc_parallel.thrift}) encoded with the Thrift compact
 * protocol. Addresses are {@code thrift://HOST:PORT}, with IPv6 hosts in brackets
 * ({@code thrift://[::1]:41234}); a listener's address has the advertised host of its
 * {@link ListenOptions} when one is given, else the bound address (this machine's name when
 * bound to the wildcard address).
 *
 * <p>Channels are {@link StreamFrameChannel}s over the sockets' streams with the Thrift framing
 * of {@link ThriftFrameCodec}.
 *
 * <p>Sockets are plain {@code java.net} sockets whose streams the channel reads and writes
 * itself (no libthrift transport, {@code TServerSocket}/{@code TSocket}, on the path): that keeps
 * control of the stream buffers (64 KiB each way), the socket options (TCP_NODELAY and keep-alive
 * on every socket, accepted and connected), the connect timeout and the backlog, and leaves
 * failures as the {@link IOException}s the runtime expects instead of Thrift's checked exceptions.
 * A socket's streams cost what a {@code SocketChannel} costs per call (one {@code read}, one
 * {@code write}); a round trip over loopback TCP costs more than over a Unix domain socket in the
 * kernel alone.
 *
 * <p>Each channel enforces one frame size limit, the size of the encoded frame (the framed
 * transport's length prefix): frames read from the peer above it close the channel; frames sent
 * above it are refused with an {@link IllegalArgumentException}. It starts at
 * {@link TransportConfig#maxFrameSize()} and changes with
 * {@link dev.rpcparallel.spi.transport.FrameChannel#setMaxFrameSize}. A frame's memory is
 * allocated as soon as its length is read, so keep the limit small until the peer is
 * authenticated.
 *
 * <p>With {@link TransportConfig#tls()} (key store files) or {@link TransportConfig#tlsContext()}
 * (a context made in memory), sockets are JSSE TLS sockets with mutual authentication: a listener requires a client certificate its trust store trusts, and a
 * client completes the TLS handshake (within the connect timeout) before the channel exists.
 *
 * <p>Found with {@link java.util.ServiceLoader}; stateless and thread-safe.
 */
public final class ThriftTransport implements Transport {

    /** The transport's name and address scheme. */
    public static final String NAME = "thrift";

    /** Its logger, made at the first message: a process that never logs never starts Log4j. */
    private static final class Log {
        static final Logger LOG = LogManager.getLogger(ThriftTransport.class);
    }

    /** Pending connections the listening socket queues before they are accepted. */
    private static final int BACKLOG = 256;

    /** Creates the transport; {@link java.util.ServiceLoader} calls this. */
    public ThriftTransport() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TransportListener listen(ListenOptions options, TransportConfig config, ChannelAcceptor acceptor)
            throws IOException {
        requireNonNull(options, "options");
        requireNonNull(config, "config");
        requireNonNull(acceptor, "acceptor");
        String host = options.host();
        InetAddress bindAddress = InetAddress.getByName(stripBrackets(host));
        ServerSocket serverSocket;
        if (!config.usesTls()) {
            serverSocket = new ServerSocket();
        } else {
            SSLServerSocket tlsSocket = (SSLServerSocket) TlsContexts.of(config).getServerSocketFactory()
                    .createServerSocket();
            tlsSocket.setNeedClientAuth(true);
            serverSocket = tlsSocket;
        }
        try {
            // Port 0: any free port.
            serverSocket.bind(new InetSocketAddress(bindAddress, 0), BACKLOG);
        } catch (IOException e) {
            serverSocket.close();
            throw withMessage(e, "cannot listen on " + host + ": " + e.getMessage());
        }
        String advertised = options.advertisedHost().isEmpty()
                ? advertisedHost(serverSocket.getInetAddress())
                : stripBrackets(options.advertisedHost());
        TransportAddress address = new ThriftAddress(advertised, serverSocket.getLocalPort()).toTransportAddress();
        return StreamListener.start(NAME, String.valueOf(serverSocket.getLocalPort()), new Sockets(serverSocket),
                address, config.maxFrameSize(), ThriftFrameCodec.FACTORY, acceptor);
    }

    /** A listening TCP socket, as a {@link StreamListener} accepts from it. */
    private record Sockets(ServerSocket serverSocket) implements StreamListener.Source<Socket> {
        @Override
        public Socket accept() throws IOException {
            return serverSocket.accept();
        }

        @Override
        public StreamConnection open(Socket socket) throws IOException {
            configure(socket);
            return connection(socket);
        }

        @Override
        public void close() throws IOException {
            serverSocket.close();
        }
    }

    @Override
    public FrameChannel connect(TransportAddress address, TransportConfig config) throws IOException {
        requireNonNull(address, "address");
        requireNonNull(config, "config");
        ThriftAddress target = ThriftAddress.parse(address);
        Socket socket = new Socket();
        try {
            configure(socket);
            InetSocketAddress endpoint = new InetSocketAddress(target.host(), target.port());
            if (endpoint.isUnresolved()) {
                throw new UnknownHostException("cannot resolve the host of " + address);
            }
            socket.connect(endpoint, timeoutMillis(config.connectTimeout()));
            if (config.usesTls()) {
                SSLSocket tlsSocket = (SSLSocket) TlsContexts.of(config).getSocketFactory()
                        .createSocket(socket, target.host(), target.port(), true);
                socket = tlsSocket;
                tlsSocket.setSoTimeout(timeoutMillis(config.connectTimeout()));
                tlsSocket.startHandshake();
                tlsSocket.setSoTimeout(0);
            }
            return channel(socket, config.maxFrameSize());
        } catch (IOException | RuntimeException e) {
            try {
                socket.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof UnknownHostException || e instanceof RuntimeException) {
                throw e;
            }
            throw withMessage((IOException) e, "cannot connect to " + address + " within "
                    + config.connectTimeout().toMillis() + " ms: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "ThriftTransport";
    }

    /** A channel over a connected socket, whose options are set. */
    static StreamFrameChannel channel(Socket socket, int maxFrameSize) throws IOException {
        return new StreamFrameChannel(connection(socket), maxFrameSize, ThriftFrameCodec.FACTORY);
    }

    private static StreamConnection connection(Socket socket) throws IOException {
        return new StreamConnection(NAME, ThriftAddress.format(socket.getInetAddress(), socket.getPort()),
                socket.getInputStream(), socket.getOutputStream(), socket);
    }

    /** The options of every socket, accepted or connected. */
    static void configure(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        socket.setKeepAlive(true);
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /**
     * The host to put in the listener's address when no advertised host is given: the bound
     * address, or, when bound to the wildcard address, this machine's name.
     */
    private static String advertisedHost(InetAddress bound) {
        if (!bound.isAnyLocalAddress()) {
            return bound.getHostAddress();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            Log.LOG.warn("Cannot name this host for a listener bound to the wildcard address; advertising loopback", e);
            return InetAddress.getLoopbackAddress().getHostAddress();
        }
    }

    private static int timeoutMillis(Duration timeout) {
        // 0 would mean no timeout to java.net.Socket.
        long millis = Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        return (int) millis;
    }

    /** The same kind of exception with a message that says where, and the original as cause. */
    private static IOException withMessage(IOException e, String message) {
        IOException wrapped;
        if (e instanceof ConnectException) {
            wrapped = new ConnectException(message);
        } else if (e instanceof SocketTimeoutException) {
            wrapped = new SocketTimeoutException(message);
        } else if (e instanceof java.net.BindException) {
            wrapped = new java.net.BindException(message);
        } else {
            return new IOException(message, e);
        }
        wrapped.initCause(e);
        return wrapped;
    }
}
