package dev.rpcparallel.transport.local;

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
import java.io.IOException;
import java.net.ConnectException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code local} transport: channels between threads of one JVM, without sockets. Addresses
 * are {@code local://NAME}, where each listener gets a fresh name; they mean something only in
 * the JVM (the class loader of this class) that made them. Chosen with
 * {@code RpcSettings.withTransport("local")} or {@code RPC_PARALLEL_SETTINGS="transport=local"}:
 * for tests of the RPC engine and workers served in the process that calls them
 * ({@code Parallel.serve}); a spawned worker, in another process, cannot be reached this way.
 *
 * <p>A connection is two bounded byte pipes ({@value LocalConnection#PIPE_CAPACITY} bytes each
 * way), and each end a {@link StreamFrameChannel} with a small fixed-header framing: so every
 * contract of the SPI holds as it does over a socket (frame limits checked as bytes arrive,
 * close with its cause, deferred flush, slices, hand-off of reading), and a reader that does
 * not read stops its sender once the pipe and the channel's buffers are full, as a full TCP
 * window does. The listeners' hosts ({@link ListenOptions}) do not apply; TLS is refused.
 *
 * <p>Found with {@link java.util.ServiceLoader}; thread-safe.
 */
public final class LocalTransport implements Transport {

    /** The transport's name and address scheme. */
    public static final String NAME = "local";

    /** The listeners of this JVM, by name; shared by every instance. */
    private static final Map<String, LocalListener> LISTENERS = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT_LISTENER = new AtomicLong();
    private static final AtomicLong NEXT_CONNECTION = new AtomicLong();

    /** Creates the transport; {@link java.util.ServiceLoader} calls this. */
    public LocalTransport() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TransportListener listen(ListenOptions options, TransportConfig config, ChannelAcceptor acceptor) {
        requireNonNull(options, "options");
        refuseTls(config);
        requireNonNull(acceptor, "acceptor");
        String name = "listener-" + NEXT_LISTENER.incrementAndGet();
        TransportAddress address = new TransportAddress(NAME, name);
        LocalListener listener = new LocalListener(address, config.maxFrameSize(), acceptor, () -> LISTENERS.remove(name));
        LISTENERS.put(name, listener);
        return listener;
    }

    @Override
    public FrameChannel connect(TransportAddress address, TransportConfig config) throws IOException {
        refuseTls(config);
        LocalConnection clientEnd = connectRaw(address);
        try {
            return channel(clientEnd, config.maxFrameSize());
        } catch (IOException | RuntimeException e) {
            clientEnd.close();
            throw e;
        }
    }

    /** Connects to a listener and returns the client's end of the connection, unwrapped. */
    static LocalConnection connectRaw(TransportAddress address) throws ConnectException {
        requireNonNull(address, "address").requireScheme(NAME);
        LocalListener listener = LISTENERS.get(address.location());
        if (listener == null) {
            throw new ConnectException("cannot connect to " + address + ": nothing listens at that name in this JVM"
                    + " (local addresses do not reach other processes)");
        }
        String client = NAME + "://" + address.location() + "/connection-" + NEXT_CONNECTION.incrementAndGet();
        LocalConnection[] pair = LocalConnection.pair(address.toString(), client);
        listener.offer(pair[1]);
        return pair[0];
    }

    static StreamFrameChannel channel(LocalConnection connection, int maxFrameSize) throws IOException {
        return new StreamFrameChannel(new StreamConnection(NAME, connection.remoteAddress(), connection.input(),
                connection.output(), connection), maxFrameSize, LocalFrameCodec::new);
    }

    private static void refuseTls(TransportConfig config) {
        if (requireNonNull(config, "config").usesTls()) {
            throw new IllegalArgumentException("the local transport carries frames between threads of one JVM and"
                    + " has no TLS: remove the TLS settings (RpcSettings.withTls) or choose another transport");
        }
    }

    @Override
    public String toString() {
        return "LocalTransport";
    }
}
