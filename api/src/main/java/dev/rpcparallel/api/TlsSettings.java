package dev.rpcparallel.api;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.annotation.API;
import java.nio.file.Path;

/**
 * TLS with mutual authentication for every connection of an application: each side presents the
 * certificate of its key store and accepts only peers whose certificate its trust store trusts.
 * The secret's handshake still runs inside TLS. Key stores are PKCS12 or JKS files (the type is
 * recognised from the file); every process of the application (master and workers) reads the
 * same paths, so they must exist on every host.
 *
 * <pre>{@code
 * RpcSettings settings = RpcSettings.defaults().withTls(
 *         TlsSettings.of(Path.of("node.p12"), "changeit", Path.of("trusted.p12"), "changeit"));
 * }</pre>
 *
 * @param keyStore the key store with this side's private key and certificate
 * @param keyStorePassword its password (also the key's)
 * @param trustStore the key store of the certificates trusted for peers
 * @param trustStorePassword its password
 */
@API(status = API.Status.STABLE, since = "0.1")
public record TlsSettings(String keyStore, String keyStorePassword, String trustStore, String trustStorePassword) {

    public TlsSettings {
        requireNonNull(keyStore, "keyStore");
        requireNonNull(keyStorePassword, "keyStorePassword");
        requireNonNull(trustStore, "trustStore");
        requireNonNull(trustStorePassword, "trustStorePassword");
        Arguments.check(!keyStore.isEmpty() && !trustStore.isEmpty(), "TLS needs a key store and a trust store");
    }

    /** TLS with these stores; the paths are made absolute, since workers may run elsewhere. */
    public static TlsSettings of(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword) {
        return new TlsSettings(keyStore.toAbsolutePath().toString(), keyStorePassword,
                trustStore.toAbsolutePath().toString(), trustStorePassword);
    }

    /** The stores, never the passwords. */
    @Override
    public String toString() {
        return "keyStore=" + keyStore + ",trustStore=" + trustStore;
    }
}
