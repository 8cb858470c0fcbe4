package dev.rpcparallel.api;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Settings of an application's RPC servers and clients. The master's settings travel to every
 * worker it spawns, so the master, its spawned workers and the workers it serves all agree.
 *
 * @param transport the name of the {@code Transport} to use, such as {@code "thrift"}
 * @param bindHost the address servers bind to; loopback unless workers must be reached from
 *     other hosts
 * @param maxMessageSize the largest frame a peer may send, in bytes; larger ones are refused
 * @param handshakeTimeout how long a new connection may take to authenticate
 * @param connectTimeout how long a client waits for a TCP connection to be accepted
 */
public record RpcSettings(
        String transport,
        String bindHost,
        int maxMessageSize,
        Duration handshakeTimeout,
        Duration connectTimeout) {

    /** The system property that chooses the transport when settings do not. */
    public static final String TRANSPORT_PROPERTY = "rpcparallel.transport";

    public RpcSettings {
        requireNonNull(transport, "transport");
        requireNonNull(bindHost, "bindHost");
        checkArgument(maxMessageSize >= 1024, "maxMessageSize must be at least 1024 bytes: %s", maxMessageSize);
        requireNonNull(handshakeTimeout, "handshakeTimeout");
        requireNonNull(connectTimeout, "connectTimeout");
        checkArgument(handshakeTimeout.toMillis() > 0, "handshakeTimeout must be positive: %s", handshakeTimeout);
        checkArgument(connectTimeout.toMillis() > 0, "connectTimeout must be positive: %s", connectTimeout);
    }

    /**
     * The defaults: the transport named by the system property {@value #TRANSPORT_PROPERTY} or
     * {@code thrift}; loopback; 256 MiB messages; 10 s handshakes and connects.
     */
    public static RpcSettings defaults() {
        return new RpcSettings(
                System.getProperty(TRANSPORT_PROPERTY, "thrift"),
                "127.0.0.1",
                256 * 1024 * 1024,
                Duration.ofSeconds(10),
                Duration.ofSeconds(10));
    }

    public RpcSettings withTransport(String transport) {
        return new RpcSettings(transport, bindHost, maxMessageSize, handshakeTimeout, connectTimeout);
    }

    public RpcSettings withBindHost(String bindHost) {
        return new RpcSettings(transport, bindHost, maxMessageSize, handshakeTimeout, connectTimeout);
    }

    public RpcSettings withMaxMessageSize(int maxMessageSize) {
        return new RpcSettings(transport, bindHost, maxMessageSize, handshakeTimeout, connectTimeout);
    }

    public RpcSettings withHandshakeTimeout(Duration handshakeTimeout) {
        return new RpcSettings(transport, bindHost, maxMessageSize, handshakeTimeout, connectTimeout);
    }

    public RpcSettings withConnectTimeout(Duration connectTimeout) {
        return new RpcSettings(transport, bindHost, maxMessageSize, handshakeTimeout, connectTimeout);
    }
}
