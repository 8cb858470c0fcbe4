package dev.rpcparallel.launcher.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.launcher.protocol.ServerRole;
import dev.rpcparallel.api.ConnectionException;
import org.junit.jupiter.api.Test;

/** A worker's key proves to that worker alone; the secret proves to every server of the application. */
class HandshakeKeyTest {
    private final byte[] secret = SecretProof.nonce();
    private final byte[] clientNonce = SecretProof.nonce();
    private final byte[] serverNonce = SecretProof.nonce();

    @Test
    void aWorkersKeyMakesTheProofThatWorkerExpectsAndNoOther() {
        HandshakeKey keyOfA = HandshakeKey.ofWorker("w-a", SecretProof.workerKey(secret, "w-a"));

        // What worker w-a expects (it holds the secret) is what the holder of its key proves.
        assertThat(SecretProof.matches(
                SecretProof.clientProof(secret, ServerRole.WORKER, "w-a", clientNonce, serverNonce),
                SecretProof.clientProofWithKey(keyOfA.forServer(ServerRole.WORKER, "w-a"), ServerRole.WORKER, "w-a",
                        clientNonce, serverNonce))).isTrue();
        // Worker w-b's key differs, and a proof for w-b made with w-a's key fails there.
        assertThat(SecretProof.workerKey(secret, "w-b")).isNotEqualTo(SecretProof.workerKey(secret, "w-a"));
        assertThat(SecretProof.matches(
                SecretProof.clientProof(secret, ServerRole.WORKER, "w-b", clientNonce, serverNonce),
                SecretProof.clientProofWithKey(SecretProof.workerKey(secret, "w-a"), ServerRole.WORKER, "w-b",
                        clientNonce, serverNonce))).isFalse();
        // Nor is the key the secret: the master's registration server is proved with the secret.
        assertThat(SecretProof.proofKey(secret, ServerRole.MASTER, "m")).isEqualTo(secret);
        assertThat(SecretProof.workerKey(secret, "w-a")).isNotEqualTo(secret);
    }

    @Test
    void aWorkersKeyIsNotOfferedToAnotherServer() {
        HandshakeKey keyOfA = HandshakeKey.ofWorker("w-a", SecretProof.workerKey(secret, "w-a"));

        assertThatThrownBy(() -> keyOfA.forServer(ServerRole.WORKER, "w-b"))
                .isInstanceOf(ConnectionException.class)
                .hasMessage("this access holds the key of worker w-a only, not of "
                        + ServerRole.WORKER.describe("w-b"));
        assertThatThrownBy(() -> keyOfA.forServer(ServerRole.MASTER, "w-a"))
                .isInstanceOf(ConnectionException.class)
                .hasMessageStartingWith("this access holds the key of worker w-a only");
        assertThat(HandshakeKey.ofSecret(secret).forServer(ServerRole.WORKER, "w-b"))
                .isEqualTo(SecretProof.workerKey(secret, "w-b"));
    }
}
