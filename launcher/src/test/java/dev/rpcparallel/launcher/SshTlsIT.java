package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.TlsSettings;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Kinds;
import dev.rpcparallel.launcher.tls.ApplicationKey;
import dev.rpcparallel.launcher.tls.PinnedTlsContext;
import dev.rpcparallel.testbackends.TestSshd;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS between a master and its workers over ssh ({@code .ci/sshd.sh}'s sshd on loopback, a host
 * alias that is "another host" to the runtime): generated per application with no setting, pinned
 * to that application's certificate, and the user's key stores where they are set. Each check
 * fails if the worker's port speaks plain TCP.
 */
class SshTlsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path DIR = Path.of("target", "ssh-tls-it").toAbsolutePath();
    private static final char[] PASSWORD = "store-password".toCharArray();
    private static String target;
    private static LauncherRuntime master;
    private static WorkerRef worker;

    @BeforeAll
    static void startMasterAndWorker() {
        TestSshd sshd = TestSshd.findOrExplain();
        Assumptions.assumeTrue(sshd != null, "no sshd for tests (see the SKIPPED line above)");
        System.setProperty("rpcparallel.ssh", sshd.sshCommand());
        target = "ssh://" + sshd.host() + "?cache=" + DIR.resolve("cache");
        master = new LauncherRuntime();
        master.initMaster(RpcSettings.defaults().withLauncher(target)); // nothing about TLS
        worker = master.spawn(Kinds.TYPE, null, SpawnOptions.builder().name("tls-generated").build());
    }

    @AfterAll
    static void shutDown() {
        if (master != null) {
            master.shutdownAll();
            await().atMost(WAIT).until(() -> workersNamed("tls-").isEmpty());
        }
    }

    @Test
    void aWorkerOverSshIsCalledOverTlsWithTheApplicationsGeneratedCertificateWithoutAnySetting() throws Exception {
        assertThat(master.settings().tls()).isNull();
        try (Connection connection = master.connect(worker, null)) {
            assertThat(connection.call(Kinds.PING, "encrypted")).isEqualTo("encrypted");
        }
        ApplicationKey key = applicationKey(master);
        try (SSLSocket socket = connect(PinnedTlsContext.of(key), worker)) {
            socket.startHandshake(); // fails against a plain TCP port
            assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(key.certificate());
            assertThat(socket.getSession().getProtocol()).startsWith("TLSv1.");
        }
    }

    @Test
    void aProcessOfAnotherApplicationIsRefusedAtTlsAndTheWorkerServesOn() throws Exception {
        LauncherRuntime other = new LauncherRuntime();
        other.initMaster(RpcSettings.defaults().withLauncher(target)); // its own key
        try {
            assertThatThrownBy(() -> other.connect(worker, null).close())
                    .hasStackTraceContaining("the server presented the certificate of another application");
        } finally {
            other.shutdownAll();
        }
        // A client that trusts any server, with another application's key: the worker itself refuses it.
        SSLContext stranger = SSLContext.getInstance("TLS");
        stranger.init(keyManagers(ApplicationKey.generate()), new TrustManager[] {new TrustingAll()}, null);
        try (SSLSocket socket = connect(stranger, worker)) {
            // TLS 1.3: the client's side of the handshake ends before the server checks its
            // certificate; the server's alert arrives on the first read. (Nothing is written
            // after the handshake.) When the server has already closed while the client still
            // writes the end of its handshake, the client sees a broken pipe instead.
            assertThatThrownBy(() -> {
                socket.startHandshake();
                socket.getInputStream().read();
            }).satisfiesAnyOf(
                    refused -> assertThat(refused).isInstanceOf(SSLException.class).hasMessageContaining("certificate"),
                    refused -> assertThat(refused).isInstanceOf(java.net.SocketException.class)
                            .hasMessageContaining("Broken pipe"));
        }
        try (Connection connection = master.connect(worker, null)) {
            assertThat(connection.call(Kinds.PING, "still serving")).isEqualTo("still serving");
        }
    }

    @Test
    void theKeyIsNeverInTheWorkersCommandLineOrEnvironment() throws IOException {
        byte[] privateKey = applicationKey(master).privateKey().getEncoded();
        List<ProcessHandle> found = workersNamed("tls-generated");
        assertThat(found).hasSize(1);
        Path proc = Path.of("/proc", Long.toString(found.get(0).pid()));
        for (String file : List.of("cmdline", "environ")) {
            byte[] bytes = Files.readAllBytes(proc.resolve(file));
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            assertThat(text).as(file).isNotEmpty()
                    .doesNotContain(new String(privateKey, StandardCharsets.ISO_8859_1))
                    .doesNotContain(Base64.getEncoder().encodeToString(privateKey))
                    .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(privateKey))
                    .doesNotContainIgnoringCase(HexFormat.of().formatHex(privateKey))
                    .doesNotContain("PRIVATE KEY");
        }
        assertThat(Files.readString(proc.resolve("cmdline")).replace('\0', ' ')).as("the worker's command line")
                .contains("rpc-parallel-worker tls-generated");
    }

    @Test
    void theUsersTlsSettingsStillWinOverTheGeneratedKey() throws Exception {
        ApplicationKey users = ApplicationKey.generate();
        Files.createDirectories(DIR);
        Path keyStore = DIR.resolve("node.p12");
        Path trustStore = DIR.resolve("trusted.p12");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("node", users.privateKey(), PASSWORD, new Certificate[] {users.certificate()});
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("node", users.certificate());
        try (var out = Files.newOutputStream(keyStore)) {
            keys.store(out, PASSWORD);
        }
        try (var out = Files.newOutputStream(trustStore)) {
            trusted.store(out, PASSWORD);
        }
        LauncherRuntime withStores = new LauncherRuntime();
        withStores.initMaster(RpcSettings.defaults().withLauncher(target)
                .withTls(TlsSettings.of(keyStore, new String(PASSWORD), trustStore, new String(PASSWORD))));
        try {
            assertThat(withStores.context().tls().isOn()).as("a generated key beside the user's").isFalse();
            WorkerRef usersWorker = withStores.spawn(Kinds.TYPE, null, SpawnOptions.builder().name("tls-users").build());
            try (Connection connection = withStores.connect(usersWorker, null)) {
                assertThat(connection.call(Kinds.PING, "user's stores")).isEqualTo("user's stores");
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(keyManagers(users), trust.getTrustManagers(), null);
            try (SSLSocket socket = connect(client, usersWorker)) {
                socket.startHandshake();
                assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(users.certificate());
            }
        } finally {
            withStores.shutdownAll();
        }
    }

    private static ApplicationKey applicationKey(LauncherRuntime runtime) {
        byte[] encoded = runtime.context().tls().encodedKey();
        assertThat(encoded).as("the master's generated key").isNotNull();
        return ApplicationKey.decode(encoded);
    }

    private static javax.net.ssl.KeyManager[] keyManagers(ApplicationKey key) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("k", key.privateKey(), PASSWORD, new Certificate[] {key.certificate()});
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, PASSWORD);
        return factory.getKeyManagers();
    }

    /** A TLS socket to the worker's TCP address, not yet shaken hands. */
    private static SSLSocket connect(SSLContext context, WorkerRef ref) throws IOException {
        assertThat(ref.address()).startsWith("thrift://");
        URI uri = URI.create(ref.address());
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(uri.getHost(), uri.getPort());
        socket.setSoTimeout((int) WAIT.toMillis());
        return socket;
    }

    /** The running worker JVMs named so, from /proc (a remote worker's command line is too long for ProcessHandle.Info). */
    private static List<ProcessHandle> workersNamed(String prefix) {
        String text = "rpc-parallel-worker " + prefix;
        return ProcessHandle.allProcesses().filter(p -> {
            try {
                Path proc = Path.of("/proc", Long.toString(p.pid()));
                return Files.readString(proc.resolve("comm")).strip().equals("java")
                        && new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                                .replace('\0', ' ').contains(text);
            } catch (IOException | RuntimeException e) {
                return false; // gone
            }
        }).toList();
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
