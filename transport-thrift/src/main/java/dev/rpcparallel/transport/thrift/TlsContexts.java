package dev.rpcparallel.transport.thrift;

import dev.rpcparallel.api.TlsSettings;
import dev.rpcparallel.spi.transport.TransportConfig;
import java.io.File;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The {@link SSLContext} of a config: its key store files' (each {@link TlsSettings} loaded once
 * from its key and trust stores), else the context made in memory that it carries.
 */
final class TlsContexts {
    private static final Map<TlsSettings, SSLContext> CONTEXTS = new ConcurrentHashMap<>();

    private TlsContexts() {}

    static SSLContext of(TransportConfig config) throws IOException {
        return config.tls() != null ? of(config.tls()) : config.tlsContext();
    }

    static SSLContext of(TlsSettings tls) throws IOException {
        SSLContext context = CONTEXTS.get(tls);
        if (context == null) {
            context = load(tls);
            CONTEXTS.putIfAbsent(tls, context);
        }
        return context;
    }

    private static SSLContext load(TlsSettings tls) throws IOException {
        try {
            char[] keyPassword = tls.keyStorePassword().toCharArray();
            KeyStore keys = KeyStore.getInstance(new File(tls.keyStore()), keyPassword);
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, keyPassword);
            KeyStore trusted = KeyStore.getInstance(new File(tls.trustStore()), tls.trustStorePassword().toCharArray());
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IOException("cannot set up TLS with key store " + tls.keyStore() + " and trust store "
                    + tls.trustStore() + ": " + e.getMessage(), e);
        }
    }
}
