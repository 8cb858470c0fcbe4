package dev.rpcparallel.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.protocol.Messages;
import dev.rpcparallel.launcher.protocol.handshake.SecretProof;
import dev.rpcparallel.launcher.protocol.ServerRole;
import dev.rpcparallel.launcher.testplugins.Echo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An impostor on the port of a worker that has gone: a process without the application's secret
 * ({@link ImpostorRelay}, its own JVM) binds the port and relays the HELLO of a client that still
 * holds the gone worker's {@code WorkerRef} to a live server of the application (another worker,
 * or the master's registration server), then relays that server's challenge back. The client must
 * refuse the borrowed proof and send the impostor nothing of the application.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImpostorIT {
    private static final String CONNECTION_ARG = "the connection argument, for the gone worker only";

    private final LauncherRuntime application = new LauncherRuntime();
    private WorkerRef live;
    private WorkerRef gone;
    private Process impostor;
    private Writer impostorCommands;
    private final BlockingQueue<String> impostorLines = new LinkedBlockingQueue<>();

    @BeforeAll
    void startTheApplicationAndTheImpostor() throws Exception {
        // The impostor relays raw Thrift frames over TCP: the thrift transport, named.
        application.initMaster(RpcSettings.defaults().withTransport("thrift"));
        live = application.spawn(Echo.TYPE, "live:", SpawnOptions.builder().name("live").build());
        gone = application.spawn(Echo.TYPE, "gone:", SpawnOptions.builder().name("gone").build());
        URI goneAddress = URI.create(gone.address());
        application.shutdown(gone);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (Socket probe = new Socket(goneAddress.getHost(), goneAddress.getPort())) {
                return false;
            } catch (ConnectException e) {
                return true;
            }
        });
        impostor = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), ImpostorRelay.class.getName(),
                String.valueOf(goneAddress.getPort()))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        impostorCommands = new OutputStreamWriter(impostor.getOutputStream(), UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(impostor.getInputStream(), UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    impostorLines.add(line);
                }
            } catch (IOException e) {
                // the impostor is gone
            }
        }, "impostor-stdout");
        reader.setDaemon(true);
        reader.start();
        assertThat(impostorLines.poll(30, TimeUnit.SECONDS))
                .as("the impostor binds the gone worker's port").isEqualTo("LISTENING");
    }

    @AfterAll
    void stop() throws Exception {
        if (impostor != null) {
            impostor.destroy();
            assertThat(impostor.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        application.shutdownAll();
    }

    @Test
    void aClientRefusesAChallengeRelayedFromAnotherWorkerAndSendsItNothing() throws Exception {
        List<String> relayed = relayTheGoneWorkersClientTo(live, ServerRole.WORKER);

        assertThat(relayed).containsExactly(
                "server answered the relayed HELLO with ERROR: the server at this address is not the worker with id "
                        + gone.id() + " (it has gone and its port was reused?)",
                "server answered the rewritten HELLO with CHALLENGE",
                "client closed after sending 0 bytes");
    }

    @Test
    void aClientRefusesAChallengeRelayedFromTheMastersRegistrationServerAndSendsItNothing() throws Exception {
        WorkerRef master = application.registrationServer();

        List<String> relayed = relayTheGoneWorkersClientTo(master, ServerRole.MASTER);

        assertThat(relayed).containsExactly(
                "server answered the relayed HELLO with ERROR: the server at this address is not the worker with id "
                        + gone.id() + " (it has gone and its port was reused?)",
                "server answered the rewritten HELLO with CHALLENGE",
                "client closed after sending 0 bytes");
    }

    /**
     * Has the impostor relay the next client to {@code server}, connects to the gone worker as
     * the application would, and returns what the impostor saw.
     */
    private List<String> relayTheGoneWorkersClientTo(WorkerRef server, ServerRole role) throws Exception {
        URI address = URI.create(server.address());
        impostorCommands.write(address.getHost() + " " + address.getPort() + " " + role + " " + server.id() + "\n");
        impostorCommands.flush();

        Throwable refusal = catchThrowable(() -> application.connect(gone, CONNECTION_ARG).close());

        List<String> lines = new ArrayList<>();
        for (String line = impostorLines.poll(30, TimeUnit.SECONDS); !"END".equals(line);
                line = impostorLines.poll(30, TimeUnit.SECONDS)) {
            assertThat(line).as("the impostor's report, after " + lines).isNotNull();
            lines.add(line);
        }
        assertThat(refusal).as("the connect through the impostor, which saw " + lines)
                .isInstanceOf(ConnectionException.class)
                .hasMessage("Cannot connect to worker 'gone' at " + gone.address()
                        + ": the server there does not know the application's secret");
        return lines;
    }

    @Test
    void aServerRefusesAHelloNamingAnotherServerBeforeProvingAnything() throws Exception {
        WorkerRef master = application.registrationServer();

        assertThat(answerToHello(live, ServerRole.WORKER, gone.id()))
                .isEqualTo("ERROR: the server at this address is not the worker with id " + gone.id()
                        + " (it has gone and its port was reused?)");
        assertThat(answerToHello(live, ServerRole.MASTER, live.id()))
                .isEqualTo("ERROR: the server at this address is not the master with id " + live.id()
                        + " (it has gone and its port was reused?)");
        assertThat(answerToHello(master, ServerRole.WORKER, master.id()))
                .isEqualTo("ERROR: the server at this address is not the worker with id " + master.id()
                        + " (it has gone and its port was reused?)");
        assertThat(answerToHello(master, ServerRole.MASTER, gone.id()))
                .isEqualTo("ERROR: the server at this address is not the master with id " + gone.id()
                        + " (it has gone and its port was reused?)");
        // Its own identity gets a challenge, whose proof covers that identity and no other.
        assertThat(answerToHello(live, ServerRole.WORKER, live.id())).isEqualTo("CHALLENGE proving the worker "
                + live.id());
        assertThat(answerToHello(master, ServerRole.MASTER, master.id())).isEqualTo("CHALLENGE proving the master "
                + master.id());
    }

    /**
     * Sends {@code server} a HELLO naming that role and id, reads its answer, and checks that the
     * server closes the connection after a refusal.
     */
    private String answerToHello(WorkerRef server, ServerRole role, String id) throws IOException {
        try (RawPeer peer = RawPeer.connect(server)) {
            byte[] clientNonce = SecretProof.nonce();
            peer.write(RawPeer.framed(RawPeer.frame(RawPeer.HELLO, 0, 0, Messages.HELLO.encode(new Messages.Hello(
                    Messages.PROTOCOL_VERSION, clientNonce, id, application.registry().fingerprint(), role)))));
            RawPeer.Received answer = peer.read();
            if (answer.kind() == RawPeer.CHALLENGE) {
                Messages.Challenge challenge = Messages.CHALLENGE.decode(answer.payload());
                for (ServerRole proved : ServerRole.values()) {
                    for (String provedId : List.of(live.id(), gone.id(), application.registrationServer().id())) {
                        if (SecretProof.matches(SecretProof.serverProof(application.context().secret(), proved, provedId,
                                clientNonce, challenge.serverNonce()), challenge.serverProof())) {
                            return "CHALLENGE proving the " + proved.name().toLowerCase(java.util.Locale.ROOT) + " " + provedId;
                        }
                    }
                }
                return "CHALLENGE proving nothing known";
            }
            assertThat(peer.socket.getInputStream().read()).as("the connection is closed after a refusal")
                    .isEqualTo(-1);
            assertThat(answer.kind()).isEqualTo(RawPeer.ERROR);
            return "ERROR: " + Messages.REMOTE_ERROR.decode(answer.payload()).message();
        }
    }
}
