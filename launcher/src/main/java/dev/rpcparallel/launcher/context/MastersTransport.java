package dev.rpcparallel.launcher.context;

import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.spi.transport.Transport;
import java.util.Optional;

/**
 * The transport a worker on its master's host, with its master's class path, listens on: the one
 * its master listens on, named by its provider class in the worker's bootstrap. The master's
 * choice ({@link TransportChoice#forWorker}) was made with the same settings, on the same host,
 * from the same class path, so it is the worker's own; making that one provider spares the worker
 * the choice's search, which finds and makes every transport on the class path.
 *
 * <p>The worker still checks what it makes: a provider class that is missing, is no
 * {@link Transport}, cannot be made, is not the transport its settings name, or cannot be used
 * here gives way to the worker's own choice, which then says why. Stateless.
 */
final class MastersTransport {
    private MastersTransport() {}

    /**
     * The transport of class {@code providerClass}, made with {@code classLoader}, if it is a
     * usable transport that the settings allow; empty otherwise, and for {@code ""}.
     */
    static Optional<Transport> make(String providerClass, RpcSettings settings, ClassLoader classLoader) {
        if (providerClass.isEmpty()) {
            return Optional.empty();
        }
        Transport transport;
        try {
            transport = Class.forName(providerClass, true, classLoader).asSubclass(Transport.class)
                    .getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return Optional.empty(); // the worker's own choice finds what is there, and says what failed
        }
        String named = settings.transport();
        if (!named.equals(RpcSettings.AUTOMATIC_TRANSPORT) && !named.equals(transport.name())) {
            return Optional.empty();
        }
        return transport.isAvailable() ? Optional.of(transport) : Optional.empty();
    }
}
