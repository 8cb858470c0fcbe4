package dev.rpcparallel.spi.transport;

import dev.rpcparallel.api.annotation.API;

/** A listening endpoint of a {@link Transport}: a server socket, a socket file, a name in this JVM. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface TransportListener extends AutoCloseable {

    /**
     * The address clients connect to, with the transport's scheme: {@code thrift://127.0.0.1:41234}
     * (with the advertised host where one was given, {@link ListenOptions#advertisedHost()}).
     */
    TransportAddress address();

    /** Stops accepting; channels already accepted stay open. Idempotent. */
    @Override
    void close();
}
