package dev.rpcparallel.spi.transport;

/** A listening server socket of a {@link Transport}. */
public interface TransportListener extends AutoCloseable {

    /** The address clients connect to, with the transport's scheme: {@code thrift://127.0.0.1:41234}. */
    String address();

    /** Stops accepting; channels already accepted stay open. Idempotent. */
    @Override
    void close();
}
