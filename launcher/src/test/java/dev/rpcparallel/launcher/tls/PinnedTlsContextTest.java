package dev.rpcparallel.launcher.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/** Real TLS handshakes over loopback sockets between contexts of application keys. */
class PinnedTlsContextTest {
    private static final ApplicationKey APPLICATION = ApplicationKey.generate();
    private static final ApplicationKey OTHER_APPLICATION = ApplicationKey.generate();

    @Test
    void twoProcessesOfOneApplicationCompleteAMutualHandshakeAndSeeItsCertificate() throws Exception {
        SSLContext context = PinnedTlsContext.of(APPLICATION);
        try (SSLServerSocket server = listen(context)) {
            CompletableFuture<Object> served = serveOne(server);
            try (SSLSocket client = connect(PinnedTlsContext.of(ApplicationKey.decode(APPLICATION.encoded())), server)) {
                client.startHandshake();
                assertThat(client.getSession().getPeerCertificates()[0]).isEqualTo(APPLICATION.certificate());
                client.getOutputStream().write(42);
                client.getOutputStream().flush();
                assertThat(client.getInputStream().read()).isEqualTo(42);
            }
            assertThat(served.get(30, TimeUnit.SECONDS)).isEqualTo(APPLICATION.certificate());
        }
    }

    @Test
    void theServerRefusesAClientWithAnotherApplicationsCertificate() throws Exception {
        try (SSLServerSocket server = listen(PinnedTlsContext.of(APPLICATION))) {
            CompletableFuture<Object> served = serveOne(server);
            // The client trusts any server, so that only the server's check can refuse.
            SSLContext stranger = SSLContext.getInstance("TLS");
            stranger.init(PinnedTlsContext.keyManagers(OTHER_APPLICATION), new TrustManager[] {new TrustingAll()}, null);
            try (SSLSocket client = connect(stranger, server)) {
                // TLS 1.3: the server's alert arrives at the next read, or, when the server has
                // already closed while the client still writes its handshake, as a broken pipe;
                // the refusal itself is the server's, checked below.
                assertThatThrownBy(() -> {
                    client.startHandshake();
                    client.getInputStream().read();
                }).isInstanceOfAny(SSLException.class, java.net.SocketException.class);
            }
            assertThatThrownBy(() -> served.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .rootCause()
                    .hasMessageContaining("the client presented the certificate of another application")
                    .hasMessageContaining(OTHER_APPLICATION.certificate().getSerialNumber().toString(16));
        }
    }

    @Test
    void aClientRefusesAServerWithAnotherApplicationsCertificate() throws Exception {
        try (SSLServerSocket server = listen(PinnedTlsContext.of(OTHER_APPLICATION))) {
            serveOne(server);
            try (SSLSocket client = connect(PinnedTlsContext.of(APPLICATION), server)) {
                assertThatThrownBy(client::startHandshake)
                        .isInstanceOf(SSLException.class)
                        .rootCause()
                        .hasMessageContaining("the server presented the certificate of another application");
            }
        }
    }

    private static SSLServerSocket listen(SSLContext context) throws IOException {
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        server.setNeedClientAuth(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return server;
    }

    /** Accepts one connection, echoes one byte and completes with the client's certificate. */
    private static CompletableFuture<Object> serveOne(SSLServerSocket server) {
        return CompletableFuture.supplyAsync(() -> {
            try (SSLSocket accepted = (SSLSocket) server.accept()) {
                accepted.setSoTimeout(30_000);
                accepted.startHandshake();
                int read = accepted.getInputStream().read();
                accepted.getOutputStream().write(read);
                accepted.getOutputStream().flush();
                return accepted.getSession().getPeerCertificates()[0];
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static SSLSocket connect(SSLContext context, SSLServerSocket server) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                server.getLocalPort());
        socket.setSoTimeout(30_000);
        return socket;
    }

    private static final class TrustingAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
