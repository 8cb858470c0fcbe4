package dev.rpcparallel.spi.transport;

import dev.rpcparallel.api.annotation.API;
import java.io.IOException;

/**
 * Carries {@link Frame}s between two processes. Found with {@link java.util.ServiceLoader}
 * (list the class in {@code META-INF/services/dev.rpcparallel.spi.transport.Transport}) and
 * chosen by {@link #name()}; every address it produces or accepts is a
 * {@link TransportAddress} whose scheme is {@link #name()}.
 *
 * <p>A transport moves whole frames and enforces the frame size limit; it knows nothing of
 * calls, authentication or codecs, which the runtime layers on top. Implementations are
 * thread-safe and pass the compliance kit ({@code rpc-parallel-transport-testkit}).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
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
     * Starts listening at a location the transport chooses (any free port, a fresh socket file,
     * a fresh name), on the host of {@code options} where hosts apply, and hands every accepted
     * connection to {@code acceptor} on a transport thread. The acceptor must return quickly.
     * The listener's {@link TransportListener#address()} is the one others connect to: with
     * the advertised host of {@code options} where hosts apply.
     *
     * @throws IOException if the transport cannot listen; the message names where
     */
    TransportListener listen(ListenOptions options, TransportConfig config, ChannelAcceptor acceptor)
            throws IOException;

    /**
     * Connects to an address this transport's listener produced.
     *
     * @throws IOException if the connection cannot be made within the config's connect timeout
     * @throws IllegalArgumentException if the address is not of this transport, or malformed
     */
    FrameChannel connect(TransportAddress address, TransportConfig config) throws IOException;

    /**
     * Connects to an address written {@code SCHEME://LOCATION} ({@link TransportAddress#parse}).
     *
     * @throws IOException if the connection cannot be made within the config's connect timeout
     * @throws IllegalArgumentException if the address is not of this transport, or malformed
     */
    default FrameChannel connect(String address, TransportConfig config) throws IOException {
        return connect(TransportAddress.parse(address), config);
    }
}
