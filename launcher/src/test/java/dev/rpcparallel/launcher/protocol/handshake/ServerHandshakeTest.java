package dev.rpcparallel.launcher.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.launcher.protocol.Messages;
import dev.rpcparallel.launcher.protocol.ServerRole;
import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server's handshake steps, frame by frame, against a session that records what it is asked to do. */
class ServerHandshakeTest {
    private static final byte[] SECRET = "the application's secret".getBytes(StandardCharsets.UTF_8);
    private static final String ID = "w-1";
    private static final String FINGERPRINT = "0123456789abcdef";

    private final Recording session = new Recording();
    private final ServerHandshake handshake = new ServerHandshake(SECRET, FINGERPRINT, "1 counter\n",
            () -> "worker 'w'", session);
    private final byte[] clientNonce = SecretProof.nonce();

    @Test
    void aClientThatProvesTheSecretOpensItsConnectionWithItsArgument() {
        Messages.Challenge challenge = hello(ID, FINGERPRINT);
        assertThat(SecretProof.matches(SecretProof.serverProof(SECRET, ServerRole.WORKER, ID, clientNonce,
                challenge.serverNonce()), challenge.serverProof())).as("the server proves its identity").isTrue();
        assertThat(handshake.authenticating()).isTrue();

        auth(proof(challenge), false, false);

        assertThat(session.events).containsExactly("sent CHALLENGE", "authenticated", "open c");
        assertThat(handshake.done()).isTrue();
        assertThat(handshake.authenticating()).isFalse();
    }

    @Test
    void aHelloNamingAnotherServerIsRejectedBeforeAnythingIsProved() {
        handshake.onFrame(helloFrame("w-2", FINGERPRINT), ServerRole.WORKER, ID);

        assertThat(session.events).containsExactly("reject the server at this address is not the worker with id w-2"
                + " (it has gone and its port was reused?)");
    }

    @Test
    void aWrongProofIsRefusedWithoutTellingTheClientWhy() {
        hello(ID, FINGERPRINT);

        auth(new byte[32], false, false);

        assertThat(session.events).containsExactly("sent CHALLENGE", "refuse failed authentication: it does not know"
                + " the application's secret or this worker's key");
    }

    @Test
    void anotherPluginSetIsRejectedWithThisServersRegistry() {
        Messages.Challenge challenge = hello(ID, "fedcba9876543210");

        auth(proof(challenge), false, false);

        assertThat(session.events).containsExactly("sent CHALLENGE", "authenticated",
                "reject different plugin sets: registry fingerprint fedcba9876543210 in the client,"
                        + " 0123456789abcdef in worker 'w' / 1 counter\n");
    }

    @Test
    void aControlConnectionToAWorkerNeedsNoPluginSet() {
        Messages.Challenge challenge = hello(ID, "");

        auth(proof(challenge), true, false);

        assertThat(session.events).containsExactly("sent CHALLENGE", "authenticated", "open control");
    }

    @Test
    void aDeferredLinkGetsItsArgumentInASecondAuthOnTheReadingThread() {
        session.takesDeferred = true;
        Messages.Challenge challenge = hello(ID, FINGERPRINT);
        auth(proof(challenge), false, true);
        assertThat(session.events).containsExactly("sent CHALLENGE", "authenticated", "parked");
        assertThat(handshake.done()).isFalse();

        handshake.onFrame(Frame.control(FrameKind.AUTH, Messages.AUTH.encode(new Messages.Auth(new byte[0],
                "later".getBytes(StandardCharsets.UTF_8), false))), ServerRole.WORKER, ID);

        assertThat(session.events).endsWith("open later");
        assertThat(handshake.done()).isTrue();
    }

    @Test
    void aDeferredLinkIsRejectedByAServerThatTakesNone() {
        Messages.Challenge challenge = hello(ID, FINGERPRINT);

        auth(proof(challenge), false, true);

        assertThat(session.events).containsExactly("sent CHALLENGE", "authenticated", "reject worker 'w' takes no"
                + " parked link: only an idle worker of a warm pool does, once, from its master");
    }

    @Test
    void anythingButHelloFirstIsRefused() {
        handshake.onFrame(new Frame(FrameKind.CALL, 1, 1, new byte[0]), ServerRole.WORKER, ID);

        assertThat(session.events).containsExactly("refuse sent CALL instead of HELLO");
    }

    private Messages.Challenge hello(String target, String fingerprint) {
        handshake.onFrame(helloFrame(target, fingerprint), ServerRole.WORKER, ID);
        assertThat(session.sent).as("the answer to the hello").hasSize(1);
        return Messages.CHALLENGE.decode(session.sent.get(0).payload());
    }

    private Frame helloFrame(String target, String fingerprint) {
        return Frame.control(FrameKind.HELLO, Messages.HELLO.encode(new Messages.Hello(Messages.PROTOCOL_VERSION,
                clientNonce, target, fingerprint, ServerRole.WORKER)));
    }

    private byte[] proof(Messages.Challenge challenge) {
        return SecretProof.clientProof(SECRET, ServerRole.WORKER, ID, clientNonce, challenge.serverNonce());
    }

    private void auth(byte[] proof, boolean control, boolean deferred) {
        handshake.onFrame(Frame.control(FrameKind.AUTH, Messages.AUTH.encode(new Messages.Auth(proof,
                "c".getBytes(StandardCharsets.UTF_8), control, deferred))), ServerRole.WORKER, ID);
    }

    private static final class Recording implements ServerHandshake.Session {
        final List<String> events = new ArrayList<>();
        final List<Frame> sent = new ArrayList<>();
        boolean takesDeferred;

        @Override
        public void sendNow(Frame frame) {
            sent.add(frame);
            events.add("sent " + frame.kind());
        }

        @Override
        public void reject(Messages.RemoteError error) {
            events.add("reject " + error.message()
                    + (error.registryDescription() == null ? "" : " / " + error.registryDescription()));
        }

        @Override
        public void refuse(String why) {
            events.add("refuse " + why);
        }

        @Override
        public void authenticated() {
            events.add("authenticated");
        }

        @Override
        public boolean takesDeferredLink() {
            return takesDeferred;
        }

        @Override
        public void openControl() {
            events.add("open control");
        }

        @Override
        public void parked() {
            events.add("parked");
        }

        @Override
        public void open(byte[] connectionArg) {
            events.add("open " + new String(connectionArg, StandardCharsets.UTF_8));
        }
    }
}
