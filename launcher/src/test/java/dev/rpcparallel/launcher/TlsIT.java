package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.TlsSettings;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.client.ClientConnection;
import dev.rpcparallel.launcher.client.FunctionIds;
import dev.rpcparallel.launcher.protocol.SessionContext;
import dev.rpcparallel.launcher.testplugins.Echo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS with mutual authentication, with key stores made in the test by the JDK's {@code keytool}:
 * the application's certificate, trusted by the application; and a stranger's, not trusted by it.
 */
class TlsIT {
    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;

    private static LauncherRuntime application;
    private static TlsSettings tls;
    private static TlsSettings stranger;
    private static WorkerRef worker;

    @BeforeAll
    static void spawnTlsWorker() throws Exception {
        Path node = keyPair("node");
        Path trust = dir.resolve("trust.p12");
        trust(node, "node", trust);
        Path strangerKeys = keyPair("stranger");
        Path strangerTrust = dir.resolve("stranger-trust.p12");
        trust(node, "node", strangerTrust); // the stranger trusts the application, not the other way round
        tls = TlsSettings.of(node, PASSWORD, trust, PASSWORD);
        stranger = TlsSettings.of(strangerKeys, PASSWORD, strangerTrust, PASSWORD);

        application = new LauncherRuntime();
        application.initMaster(RpcSettings.defaults().withTls(tls));
        worker = application.spawn(Echo.TYPE, "tls:", SpawnOptions.builder().name("tls-worker").build());
    }

    @AfterAll
    static void shutDown() {
        if (application != null) {
            application.shutdownAll();
        }
    }

    @Test
    void aSpawnedWorkerServesAClientWithTheApplicationsCertificate() {
        try (Connection connection = application.connect(worker, "c")) {
            assertThat(connection.call(Echo.ECHO, "over TLS")).isEqualTo("tls:over TLS");
            assertThat(connection.call(Echo.REPEAT, 1_000_000)).hasSize(1_000_000);
        }
    }

    @Test
    void aClientWhoseCertificateIsNotTrustedIsRefusedEvenWithTheSecret() {
        assertThatThrownBy(() -> open(application.settings().withTls(stranger)))
                .isInstanceOf(ConnectionException.class)
                // TLS 1.3: the server refuses the certificate after the client's side of the TLS
                // handshake is done, so the client sees the alert, or a broken pipe on its first write.
                .hasMessageContaining("Cannot connect to worker 'tls-worker'")
                .hasMessageMatching("(?s).*(bad_certificate|broke during the handshake|closed the connection).*")
                .satisfies(e -> System.out.println("TlsIT: untrusted client: " + e.getMessage()));
    }

    @Test
    void aClientWithoutTlsIsRefusedEvenWithTheSecret() {
        assertThatThrownBy(() -> open(application.settings().withTls(null)))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("Cannot connect to worker 'tls-worker'")
                // The worker answers the plain bytes with a TLS alert record, which is named as such.
                .hasMessageContaining("speaks TLS and this side does not")
                .hasMessageContaining("RpcSettings.withTls")
                .satisfies(e -> System.out.println("TlsIT: plain client: " + e.getMessage()));
    }

    private static ClientConnection open(RpcSettings settings) {
        return ClientConnection.open(new SessionContext(application.context().transport(), settings, application.context().secret(),
                application.registry().fingerprint(), application.registry().description()), worker,
                Codecs.string().encode("c"), FunctionIds.of(application.registry().require(worker.workerType())));
    }

    // ------------------------------------------------------------ keytool

    private static Path keyPair(String name) throws Exception {
        Path store = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD,
                "-keypass", PASSWORD);
        return store;
    }

    private static void trust(Path keyStore, String alias, Path trustStore) throws Exception {
        Path certificate = dir.resolve(alias + "-" + trustStore.getFileName() + ".cer");
        keytool("-exportcert", "-alias", alias, "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", alias, "-file", certificate.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", PASSWORD);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        List<String> command = new ArrayList<>();
        command.add(java.resolveSibling("keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("keytool %s: %s", command, output).isZero();
    }
}
