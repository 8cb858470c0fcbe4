package dev.rpcparallel.spi.transport;

import dev.rpcparallel.api.annotation.API;
import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.TlsSettings;
import java.time.Duration;

/**
 * What the runtime asks of a transport's channels.
 *
 * @param maxFrameSize the largest frame accepted from a peer until
 *     {@link FrameChannel#setMaxFrameSize} changes it, in bytes
 * @param connectTimeout how long {@link Transport#connect} may take
 * @param tls TLS with mutual authentication for listeners and connections, or {@code null} for
 *     none; a transport that cannot do TLS refuses a config with it
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record TransportConfig(int maxFrameSize, Duration connectTimeout, TlsSettings tls) {
    public TransportConfig {
        if (maxFrameSize <= 0) {
            throw new IllegalArgumentException("maxFrameSize must be positive: " + maxFrameSize);
        }
        requireNonNull(connectTimeout, "connectTimeout");
    }

    /** A config without TLS. */
    public TransportConfig(int maxFrameSize, Duration connectTimeout) {
        this(maxFrameSize, connectTimeout, null);
    }
}
