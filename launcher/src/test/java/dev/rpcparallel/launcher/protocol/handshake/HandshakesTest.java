package dev.rpcparallel.launcher.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.protocol.Messages;
import dev.rpcparallel.launcher.protocol.ServerRole;
import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.FrameHandler;
import dev.rpcparallel.spi.transport.FrameKind;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * The client's and the server's handshakes against each other, frame by frame on one thread:
 * what the client sends goes to the server's handshake, what the server sends back to the
 * client's inbox.
 */
class HandshakesTest {
    private static final byte[] SECRET = "the application's secret".getBytes(StandardCharsets.UTF_8);
    private static final WorkerRef WORKER = new WorkerRef("echo", "w-1", "w", "test://w-1");

    @Test
    void bothSidesProveTheSecretAndTheConnectionOpensWithItsArgument() {
        Pair pair = new Pair(SECRET, "f1");

        Frame answer = pair.client.authenticate(HandshakeKey.ofSecret(SECRET), "f1",
                "arg".getBytes(StandardCharsets.UTF_8), false, false);
        pair.client.finish(answer, "");

        assertThat(answer.kind()).isEqualTo(FrameKind.READY);
        assertThat(pair.opened).isEqualTo("arg");
    }

    @Test
    void aServerThatDoesNotKnowTheSecretIsNotTrustedWithTheArgument() {
        Pair pair = new Pair("another secret".getBytes(StandardCharsets.UTF_8), "f1");

        assertThatThrownBy(() -> pair.client.authenticate(HandshakeKey.ofSecret(SECRET), "f1",
                "arg".getBytes(StandardCharsets.UTF_8), false, false))
                .isInstanceOf(ConnectionException.class)
                .hasMessage("Cannot connect to worker 'w' at test://w-1: the server there does not know the"
                        + " application's secret");
        assertThat(pair.sentAuth).as("nothing of the application was sent").isFalse();
        assertThat(pair.opened).isNull();
    }

    @Test
    void theKeyOfOneWorkerProvesNothingToAnother() {
        Pair pair = new Pair(SECRET, "f1");
        HandshakeKey otherWorkersKey = HandshakeKey.ofWorker("w-2", SecretProof.workerKey(SECRET, "w-2"));

        assertThatThrownBy(() -> pair.client.authenticate(otherWorkersKey, "", new byte[0], true,
                false))
                .isInstanceOf(ConnectionException.class)
                .hasMessage("this access holds the key of worker w-2 only, not of the worker with id w-1");
    }

    @Test
    void anotherPluginSetIsExplainedWithBothRegistries() {
        Pair pair = new Pair(SECRET, "f1");

        Frame answer = pair.client.authenticate(HandshakeKey.ofSecret(SECRET), "f2",
                new byte[0], false, false);

        assertThatThrownBy(() -> pair.client.finish(answer, "1 echo here\n"))
                .isInstanceOf(ConnectionException.class)
                .hasMessage("Cannot connect to worker 'w' at test://w-1: the master and the worker were built from"
                        + " different plugin sets (different plugin sets: registry fingerprint f2 in the client, f1"
                        + " in worker 'w').\nWorker types here:\n  1 echo here\nWorker types in the worker:\n"
                        + "  1 echo there\nStart both with the same plugin jars and worker listing.");
    }

    /** A client handshake wired to a server handshake. */
    private static final class Pair implements FrameChannel, ServerHandshake.Session {
        final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
        final ClientHandshake client = new ClientHandshake(this, inbox, RpcSettings.defaults(), WORKER, ServerRole.WORKER);
        final ServerHandshake server;
        String opened;
        boolean sentAuth;

        Pair(byte[] serverSecret, String serverFingerprint) {
            server = new ServerHandshake(serverSecret, serverFingerprint, "1 echo there\n", () -> "worker 'w'", this);
        }

        // The client's channel: its frames go to the server.

        @Override
        public void send(Frame frame) {
            sentAuth |= frame.kind() == FrameKind.AUTH;
            server.onFrame(frame, ServerRole.WORKER, WORKER.id());
        }

        @Override
        public void start(FrameHandler handler) {}

        @Override
        public void setMaxFrameSize(int bytes) {}

        @Override
        public String remoteAddress() {
            return WORKER.address();
        }

        @Override
        public void close() {}

        // The server's session: its frames go to the client.

        @Override
        public void sendNow(Frame frame) {
            inbox.add(frame);
        }

        @Override
        public void reject(Messages.RemoteError error) {
            sendNow(Frame.control(FrameKind.ERROR, Messages.REMOTE_ERROR.encode(error)));
        }

        @Override
        public void refuse(String why) {
            inbox.add(new java.io.EOFException("closed: " + why));
        }

        @Override
        public void authenticated() {}

        @Override
        public boolean takesDeferredLink() {
            return false;
        }

        @Override
        public void openControl() {
            sendNow(Frame.control(FrameKind.READY, Frame.noPayload()));
        }

        @Override
        public void parked() {
            sendNow(Frame.control(FrameKind.READY, Frame.noPayload()));
        }

        @Override
        public void open(byte[] connectionArg) {
            opened = new String(connectionArg, StandardCharsets.UTF_8);
            sendNow(Frame.control(FrameKind.READY, Frame.noPayload()));
        }
    }
}
