package dev.rpcparallel.spi.transport;

import dev.rpcparallel.api.annotation.API;
import static java.util.Objects.requireNonNull;

/**
 * Where a {@link Transport} should listen, as the runtime's settings say it. Transports over IP
 * use the hosts; others (a Unix domain socket, an in-JVM transport) choose their own location
 * and ignore them.
 *
 * @param host the host or IP address to bind to ({@code RpcSettings.bindHost}): a loopback
 *     address, a wildcard address ({@code 0.0.0.0}) or one of this machine's; IPv6 addresses
 *     with or without brackets
 * @param advertisedHost the host to put in the listener's {@link TransportListener#address()}
 *     for others to connect to, when it differs from the bound one (a wildcard bind, NAT); empty
 *     for the bound one
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record ListenOptions(String host, String advertisedHost) {
    public ListenOptions {
        requireNonNull(host, "host");
        requireNonNull(advertisedHost, "advertisedHost");
    }

    /** Listens on {@code host} and advertises what it is bound to. */
    public static ListenOptions on(String host) {
        return new ListenOptions(host, "");
    }
}
