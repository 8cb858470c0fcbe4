package dev.rpcparallel.launcher.context;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.launcher.tls.ApplicationTls;
import dev.rpcparallel.spi.transport.ChannelAcceptor;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.ListenOptions;
import dev.rpcparallel.spi.transport.Transport;
import dev.rpcparallel.spi.transport.TransportAddress;
import dev.rpcparallel.spi.transport.TransportConfig;
import dev.rpcparallel.spi.transport.TransportListener;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The transport of one process: it listens with the transport chosen for it, and connects to
 * each address with the transport its scheme names, so that a process reaches workers of either
 * transport (a worker on this host over {@code unix}, one elsewhere over {@code thrift}, a
 * {@code WorkerRef} passed from another master). Its TCP ({@value Transports#NETWORK_TRANSPORT})
 * listener and connections carry the application's generated TLS context where it is on and
 * the config has no TLS of the user's ({@link ApplicationTls}), so that no TCP connection
 * between two processes of such an application is plain. Thread-safe; transports are looked up
 * once each.
 */
final class AddressedTransport implements Transport {
    private final Transport listening;
    private final ClassLoader classLoader;
    private final ApplicationTls tls;
    private final Map<String, Transport> byScheme = new ConcurrentHashMap<>();

    AddressedTransport(Transport listening, ClassLoader classLoader, ApplicationTls tls) {
        this.listening = requireNonNull(listening, "listening");
        this.classLoader = classLoader;
        this.tls = requireNonNull(tls, "tls");
        byScheme.put(listening.name(), listening);
    }

    /** {@code config} with the generated TLS context where {@code transport} is TCP and the config has no TLS. */
    private TransportConfig withTls(String transport, TransportConfig config) {
        if (!tls.isOn() || config.usesTls() || !transport.equals(Transports.NETWORK_TRANSPORT)) {
            return config;
        }
        return config.withTlsContext(tls.context());
    }

    /** The provider class of the transport it listens with. */
    String listeningProvider() {
        return listening.getClass().getName();
    }

    @Override
    public String name() {
        return listening.name();
    }

    @Override
    public boolean isAvailable() {
        return listening.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
        return listening.unavailabilityCause();
    }

    @Override
    public TransportListener listen(ListenOptions options, TransportConfig config, ChannelAcceptor acceptor)
            throws IOException {
        return listening.listen(options, withTls(listening.name(), config), acceptor);
    }

    /** @throws dev.rpcparallel.api.RpcParallelException if no usable transport has the address's scheme */
    @Override
    public FrameChannel connect(TransportAddress address, TransportConfig config) throws IOException {
        requireNonNull(address, "address");
        return byScheme.computeIfAbsent(address.scheme(), scheme -> Transports.find(scheme, classLoader))
                .connect(address, withTls(address.scheme(), config));
    }

    @Override
    public String toString() {
        return listening.toString();
    }
}
