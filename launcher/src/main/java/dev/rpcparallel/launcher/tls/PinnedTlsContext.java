package dev.rpcparallel.launcher.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS context of an {@link ApplicationKey}: it presents the application's certificate and
 * trusts a peer only if the peer presents that very certificate (pinned: compared byte for byte,
 * no chain, no host name), on both sides, so that only the application's processes complete a
 * handshake with each other. The key store lives in memory only. Stateless.
 */
public final class PinnedTlsContext {
    /** The in-memory key store's password: the store never leaves this process, so it guards nothing. */
    private static final char[] IN_MEMORY = "in-memory".toCharArray();

    private PinnedTlsContext() {}

    /**
     * A context presenting {@code key}'s certificate and trusting only it.
     *
     * @throws IllegalStateException if this JDK cannot make a TLS context of an EC key
     */
    public static SSLContext of(ApplicationKey key) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers(key), new TrustManager[] {new Pinned(key.certificate())}, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make a TLS context of the application's key: " + e.getMessage(), e);
        }
    }

    /** Key managers presenting {@code key}'s certificate, from a key store in memory. */
    static KeyManager[] keyManagers(ApplicationKey key) throws GeneralSecurityException, IOException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("application", key.privateKey(), IN_MEMORY, new Certificate[] {key.certificate()});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, IN_MEMORY);
        return keyManagers.getKeyManagers();
    }

    /** Trusts exactly one certificate, as client and as server. */
    private static final class Pinned extends X509ExtendedTrustManager {
        private final X509Certificate pinned;

        Pinned(X509Certificate pinned) {
            this.pinned = pinned;
        }

        private void check(X509Certificate[] chain, String peer) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the " + peer + " presented no certificate");
            }
            if (!chain[0].equals(pinned)) {
                throw new CertificateException("the " + peer + " presented the certificate of another application ("
                        + chain[0].getSubjectX500Principal().getName() + ", serial "
                        + chain[0].getSerialNumber().toString(16)
                        + "), not this application's (serial " + pinned.getSerialNumber().toString(16) + ")");
            }
            pinned.checkValidity();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, "client");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, "server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain, "client");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain, "server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain, "client");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain, "server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[] {pinned};
        }
    }
}
