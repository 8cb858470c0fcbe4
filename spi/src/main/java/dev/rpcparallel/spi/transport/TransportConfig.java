package dev.rpcparallel.spi.transport;

import dev.rpcparallel.api.annotation.API;
import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.TlsSettings;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * What the runtime asks of a transport's channels.
 *
 * <p>TLS comes in one of two forms: {@code tls}, key and trust store files that the transport
 * loads, or {@code tlsContext}, a context the runtime made in memory (the application's
 * generated key, pinned as its only trusted certificate). Where both are set, {@code tls} wins.
 * Either way a listener requires a client certificate (mutual TLS) and a connection completes
 * its TLS handshake within {@link #connectTimeout()} before its channel exists. A transport that
 * cannot do TLS refuses a config that asks for it in either form ({@link #usesTls()}).
 *
 * @param maxFrameSize the largest frame accepted from a peer until
 *     {@link FrameChannel#setMaxFrameSize} changes it, in bytes
 * @param connectTimeout how long {@link Transport#connect} may take
 * @param tls TLS with mutual authentication from key store files, or {@code null}
 * @param tlsContext TLS with mutual authentication from a context made in memory (its key
 *     managers present this side's certificate, its trust managers accept the peers'), or
 *     {@code null}; used only where {@code tls} is {@code null}
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record TransportConfig(int maxFrameSize, Duration connectTimeout, TlsSettings tls, SSLContext tlsContext) {
    public TransportConfig {
        if (maxFrameSize <= 0) {
            throw new IllegalArgumentException("maxFrameSize must be positive: " + maxFrameSize);
        }
        requireNonNull(connectTimeout, "connectTimeout");
    }

    /** A config with TLS from key store files ({@code null}: none). */
    public TransportConfig(int maxFrameSize, Duration connectTimeout, TlsSettings tls) {
        this(maxFrameSize, connectTimeout, tls, null);
    }

    /** A config without TLS. */
    public TransportConfig(int maxFrameSize, Duration connectTimeout) {
        this(maxFrameSize, connectTimeout, null, null);
    }

    /** Whether channels of this config use TLS, in either form. */
    public boolean usesTls() {
        return tls != null || tlsContext != null;
    }

    /** This config with {@code context} as its in-memory TLS context. */
    public TransportConfig withTlsContext(SSLContext context) {
        return new TransportConfig(maxFrameSize, connectTimeout, tls, context);
    }
}
