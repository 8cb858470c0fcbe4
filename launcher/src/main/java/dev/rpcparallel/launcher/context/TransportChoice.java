package dev.rpcparallel.launcher.context;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.spi.transport.Transport;
import java.util.Optional;
import java.util.Set;

/**
 * Which transport a worker listens on, and why: the rule behind
 * {@value RpcSettings#AUTOMATIC_TRANSPORT}, the transport of settings that name none.
 *
 * <p>Settings that name a transport get it, everywhere. Otherwise a worker on this host (and a
 * master's own listener, and {@code serve}) gets {@value #LOCAL}, Unix domain sockets: faster
 * than TCP on one host (BENCHMARKS.md, "Unix transport against TCP") and no network port at
 * all. It gets {@value #NETWORK} (TCP) where TCP is needed: TLS asked for, a bind address or an
 * advertised host set (the worker is meant to be reached over the network), a worker started
 * on another host, or no usable unix transport here.
 *
 * <p>A launcher that starts a worker elsewhere passes {@code localWorker = false} and gives the
 * worker settings naming the choice ({@link #settingsFor}). Stateless.
 *
 * @param transport the name of the transport chosen
 * @param reason why, in a sentence fragment for {@code rpc-parallel transports} and logs
 */
public record TransportChoice(String transport, String reason) {

    /** The transport of workers on this host when the settings name none. */
    public static final String LOCAL = "unix";
    /** The transport wherever the network is needed. */
    public static final String NETWORK = "thrift";

    /** Bind hosts that keep a listener on this host: they ask for no network. */
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1", "[::1]");

    public TransportChoice {
        requireNonNull(transport, "transport");
        requireNonNull(reason, "reason");
    }

    /**
     * The transport of a worker spawned with {@code settings}, the unix transport looked up with
     * {@code classLoader}.
     *
     * @param localWorker whether the worker runs on this host
     */
    public static TransportChoice forWorker(RpcSettings settings, boolean localWorker, ClassLoader classLoader) {
        requireNonNull(settings, "settings");
        if (!settings.transport().equals(RpcSettings.AUTOMATIC_TRANSPORT)) {
            return forWorker(settings, localWorker, Optional.empty());
        }
        Optional<Transport> unix = Transports.all(classLoader).transports().stream()
                .filter(transport -> transport.name().equals(LOCAL)).findFirst();
        return forWorker(settings, localWorker, unix);
    }

    /**
     * The rule itself.
     *
     * @param unix the unix transport, if it is on the class path
     */
    public static TransportChoice forWorker(RpcSettings settings, boolean localWorker, Optional<Transport> unix) {
        requireNonNull(settings, "settings");
        requireNonNull(unix, "unix");
        String named = settings.transport();
        if (!named.equals(RpcSettings.AUTOMATIC_TRANSPORT)) {
            return new TransportChoice(named, "named by the settings (transport=" + named + ")");
        }
        if (settings.tls() != null) {
            return network("TLS is asked for, and the unix transport has none");
        }
        if (!LOOPBACK.contains(settings.bindHost())) {
            return network("a bind address is set (bindHost=" + settings.bindHost()
                    + "): the workers are to be reached over the network");
        }
        if (!settings.advertisedHost().isEmpty()) {
            return network("an advertised host is set (advertisedHost=" + settings.advertisedHost()
                    + "): the workers are to be reached over the network");
        }
        if (!localWorker) {
            return network("the worker runs on another host");
        }
        if (unix.isEmpty()) {
            return network("the unix transport is not on the class path (rpc-parallel-transport-unix)");
        }
        if (!unix.get().isAvailable()) {
            return network("the unix transport cannot be used here: " + unix.get().unavailabilityCause());
        }
        return new TransportChoice(LOCAL, "workers on this host: Unix domain sockets are faster than TCP here and"
                + " open no network port");
    }

    private static TransportChoice network(String why) {
        return new TransportChoice(NETWORK, why);
    }

    /** {@code settings} naming this choice's transport: what a worker started elsewhere is given. */
    public RpcSettings settingsFor(RpcSettings settings) {
        return settings.withTransport(transport);
    }
}
