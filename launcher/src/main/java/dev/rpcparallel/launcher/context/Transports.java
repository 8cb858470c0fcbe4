package dev.rpcparallel.launcher.context;

import dev.rpcparallel.api.RpcParallelException;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.launcher.tls.ApplicationTls;
import dev.rpcparallel.spi.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Finds a {@link Transport} by name with {@link ServiceLoader}, and the transport of a process
 * ({@link #ofProcess}).
 */
public final class Transports {
    /**
     * The transport of a worker on another host (and of its master's listener that it reaches):
     * TCP, whatever this host's workers use.
     */
    public static final String NETWORK_TRANSPORT = "thrift";

    /**
     * The transport between threads of one JVM: its addresses mean nothing to another process, so
     * a master listening on it can serve workers in its own JVM only, and spawn none.
     */
    public static final String IN_PROCESS_TRANSPORT = "local";

    private Transports() {}

    /**
     * Every transport on the class path, in the order found, and the messages of those that
     * failed to load.
     */
    public record Found(List<Transport> transports, List<String> failures) {}

    /** Every transport {@link ServiceLoader} finds through {@code classLoader}. */
    public static Found all(ClassLoader classLoader) {
        List<Transport> transports = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (var iterator = ServiceLoader.load(Transport.class, classLoader).iterator(); ; ) {
            try {
                if (!iterator.hasNext()) {
                    break;
                }
                transports.add(iterator.next());
            } catch (ServiceConfigurationError e) {
                failures.add(e.getMessage());
            }
        }
        return new Found(List.copyOf(transports), List.copyOf(failures));
    }

    /**
     * The transport of a process with {@code settings}: it listens on the one they name, or,
     * naming none, on the one {@link TransportChoice} gives a worker of this host; it connects to
     * every address with the transport of the address's scheme; its TCP listener and connections
     * use {@code tls} when it is on and the settings name no TLS of their own.
     *
     * @throws dev.rpcparallel.api.RpcParallelException if the transport is missing or unusable here
     */
    public static Transport ofProcess(RpcSettings settings, ClassLoader classLoader,
            ApplicationTls tls) {
        return ofProcess(settings, classLoader, tls, "");
    }

    /**
     * As {@link #ofProcess(RpcSettings, ClassLoader, ApplicationTls)}, for a
     * worker whose master named the transport it listens on by its provider class
     * ({@link MastersTransport}; {@code ""}: none): that one is made, not every one on the class
     * path, unless it cannot serve, when the process chooses its own.
     */
    public static Transport ofProcess(RpcSettings settings, ClassLoader classLoader,
            ApplicationTls tls, String mastersProvider) {
        Optional<Transport> masters = MastersTransport.make(mastersProvider, settings, classLoader);
        if (masters.isPresent()) {
            return new AddressedTransport(masters.get(), classLoader, tls);
        }
        String name = TransportChoice.forWorker(settings, true, classLoader).transport();
        return new AddressedTransport(find(name, classLoader), classLoader, tls);
    }

    /**
     * The transport named {@code name}.
     *
     * @throws RpcParallelException naming the transports found if there is none of that name, or
     *     the reason it cannot be used here
     */
    public static Transport find(String name, ClassLoader classLoader) {
        List<String> names = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (var iterator = ServiceLoader.load(Transport.class, classLoader).iterator(); ; ) {
            Transport transport;
            try {
                if (!iterator.hasNext()) {
                    break;
                }
                transport = iterator.next();
            } catch (ServiceConfigurationError e) {
                failures.add(e.getMessage());
                continue;
            }
            if (transport.name().equals(name)) {
                if (!transport.isAvailable()) {
                    throw new RpcParallelException("Transport '" + name + "' cannot be used here: "
                            + transport.unavailabilityCause(), transport.unavailabilityCause());
                }
                return transport;
            }
            names.add(transport.name());
        }
        throw new RpcParallelException("No transport named '" + name + "' was found; the transports on the class path are "
                + names + (failures.isEmpty() ? "" : ", and these failed to load: " + failures)
                + ". Add the transport's jar, or choose another with RpcSettings.withTransport, "
                + RpcSettings.ENVIRONMENT_VARIABLE + "=transport=NAME or -D"
                + RpcSettings.TRANSPORT_PROPERTY + "=NAME.");
    }
}
