package dev.rpcparallel.launcher.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.launcher.protocol.ServerRole;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a proof of the secret covers: who proves, the server's role and id, both nonces. */
class SecretProofTest {
    private final byte[] secret = SecretProof.nonce();
    private final byte[] clientNonce = SecretProof.nonce();
    private final byte[] serverNonce = SecretProof.nonce();

    @Test
    void aProofMatchesOnlyTheSameSecretIdentityAndNonces() {
        byte[] proof = SecretProof.serverProof(secret, ServerRole.WORKER, "w-1", clientNonce, serverNonce);

        assertThat(SecretProof.matches(
                SecretProof.serverProof(secret, ServerRole.WORKER, "w-1", clientNonce, serverNonce), proof)).isTrue();
        assertThat(SecretProof.matches(
                SecretProof.serverProof(SecretProof.nonce(), ServerRole.WORKER, "w-1", clientNonce, serverNonce), proof))
                .isFalse();
        assertThat(SecretProof.matches(
                SecretProof.serverProof(secret, ServerRole.WORKER, "w-1", serverNonce, clientNonce), proof)).isFalse();
        assertThat(SecretProof.matches(null, proof)).isFalse();
    }

    @Test
    void proofsForAnotherRoleIdOrSideAllDiffer() {
        List<byte[]> proofs = new ArrayList<>();
        for (ServerRole role : ServerRole.values()) {
            for (String id : List.of("w-1", "w-2", "w-1\0", "")) {
                proofs.add(SecretProof.serverProof(secret, role, id, clientNonce, serverNonce));
                proofs.add(SecretProof.clientProof(secret, role, id, clientNonce, serverNonce));
            }
        }
        Set<String> distinct = new HashSet<>();
        proofs.forEach(proof -> distinct.add(java.util.HexFormat.of().formatHex(proof)));

        assertThat(distinct).hasSize(proofs.size());
    }

    @Test
    void describesTheServerItNames() {
        assertThat(ServerRole.WORKER.describe("abc")).isEqualTo("the worker with id abc");
        assertThat(ServerRole.MASTER.describe("master-1")).isEqualTo("the master with id master-1");
    }
}
