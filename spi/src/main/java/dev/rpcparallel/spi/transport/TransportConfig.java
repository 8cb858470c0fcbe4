package dev.rpcparallel.spi.transport;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What the runtime asks of a transport's channels.
 *
 * @param maxFrameSize the largest frame accepted from a peer until
 *     {@link FrameChannel#setMaxFrameSize} changes it, in bytes
 * @param connectTimeout how long {@link Transport#connect} may take
 */
public record TransportConfig(int maxFrameSize, Duration connectTimeout) {
    public TransportConfig {
        if (maxFrameSize <= 0) {
            throw new IllegalArgumentException("maxFrameSize must be positive: " + maxFrameSize);
        }
        requireNonNull(connectTimeout, "connectTimeout");
    }
}
