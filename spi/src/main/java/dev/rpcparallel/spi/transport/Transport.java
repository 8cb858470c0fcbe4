package dev.rpcparallel.spi.transport;

import java.io.IOException;

/**
 * Carries {@link Frame}s between two processes. Found with {@link java.util.ServiceLoader}
 * (list the class in {@code META-INF/services/dev.rpcparallel.spi.transport.Transport}) and
 * chosen by {@link #name()}; every address it produces or accepts starts with
 * {@code name() + "://"}.
 *
 * <p>A transport moves whole frames and enforces the frame size limit; it knows nothing of
 * calls, authentication or codecs, which the runtime layers on top. Implementations are
 * thread-safe and run the compliance suite in {@code transport-thrift}'s tests.
 */
public interface Transport {

    /** The transport's name and address scheme, such as {@code "thrift"}. */
    String name();

    /** Whether the transport can be used here; when not, {@link #unavailabilityCause()} says why. */
    default boolean isAvailable() {
        return true;
    }

    /** Why the transport cannot be used, or {@code null} when it can. */
    default Throwable unavailabilityCause() {
        return null;
    }

    /**
     * Listens on {@code host} at {@code port} (0: any free port) and hands every accepted
     * connection to {@code acceptor} on a transport thread. The acceptor must return quickly.
     */
    TransportListener listen(String host, int port, TransportConfig config, ChannelAcceptor acceptor)
            throws IOException;

    /**
     * Connects to an address this transport's listener produced.
     *
     * @throws IOException if the connection cannot be made within the config's connect timeout
     * @throws IllegalArgumentException if the address is not of this transport
     */
    FrameChannel connect(String address, TransportConfig config) throws IOException;
}
