package dev.rpcparallel.launcher.protocol.handshake;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.rpcparallel.launcher.protocol.ServerRole;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * Challenge-response proofs of the application's secret: HMAC-SHA256 over a label saying who
 * proves (client or server), the server's role and id, and both nonces, compared in constant
 * time. Each side proves itself with its own label, so a proof cannot be reflected back; both
 * cover the identity of the server, which proves its own identity only, so a proof made by one
 * server (a worker, a master's registration server) never passes for another's.
 *
 * <p>The key of a proof depends on the server: a master's registration server is proved with the
 * application's secret itself; a worker with its own key, derived from the secret and its id
 * ({@link #workerKey}). Whoever holds the secret derives any worker's key; whoever holds one
 * worker's key (an exported {@code WorkerAccess}) can prove itself to that worker only, and
 * cannot go back to the secret.
 */
public final class SecretProof {
    public static final int NONCE_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretProof() {}

    public static byte[] nonce() {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    /** A server's proof: {@code role} and {@code serverId} are its own, never what a client named. */
    public static byte[] serverProof(byte[] secret, ServerRole role, String serverId, byte[] clientNonce,
            byte[] serverNonce) {
        return serverProofWithKey(proofKey(secret, role, serverId), role, serverId, clientNonce, serverNonce);
    }

    /** A client's proof, for the server of that role and id. */
    public static byte[] clientProof(byte[] secret, ServerRole role, String serverId, byte[] clientNonce,
            byte[] serverNonce) {
        return clientProofWithKey(proofKey(secret, role, serverId), role, serverId, clientNonce, serverNonce);
    }

    /** A server's proof with the key of that server ({@link #proofKey}). */
    public static byte[] serverProofWithKey(byte[] key, ServerRole role, String serverId, byte[] clientNonce,
            byte[] serverNonce) {
        return hmac(key, "rpc-parallel server", role, serverId, clientNonce, serverNonce);
    }

    /** A client's proof with the key of that server ({@link #proofKey}). */
    public static byte[] clientProofWithKey(byte[] key, ServerRole role, String serverId, byte[] clientNonce,
            byte[] serverNonce) {
        return hmac(key, "rpc-parallel client", role, serverId, clientNonce, serverNonce);
    }

    /** The key proofs for the server of that role and id are made with: the worker's own key, or the secret. */
    public static byte[] proofKey(byte[] secret, ServerRole role, String serverId) {
        return role == ServerRole.WORKER ? workerKey(secret, serverId) : secret;
    }

    /**
     * The key of one worker: HMAC-SHA256 of the application's secret over a label and the
     * worker's id. One-way: it reveals neither the secret nor another worker's key.
     */
    public static byte[] workerKey(byte[] secret, String workerId) {
        HmacSha256 mac = new HmacSha256(secret);
        field(mac, "rpc-parallel worker key".getBytes(UTF_8));
        field(mac, workerId.getBytes(UTF_8));
        return mac.doFinal();
    }

    public static boolean matches(byte[] expected, byte[] actual) {
        return actual != null && MessageDigest.isEqual(expected, actual);
    }

    private static byte[] hmac(byte[] secret, String label, ServerRole role, String serverId, byte[] clientNonce,
            byte[] serverNonce) {
        HmacSha256 mac = new HmacSha256(secret);
        // Every variable-length field is length-prefixed: no two inputs share an encoding.
        field(mac, label.getBytes(UTF_8));
        field(mac, role.name().getBytes(UTF_8));
        field(mac, serverId.getBytes(UTF_8));
        field(mac, clientNonce);
        field(mac, serverNonce);
        return mac.doFinal();
    }

    private static void field(HmacSha256 mac, byte[] bytes) {
        int length = bytes.length;
        mac.update(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
        mac.update(bytes);
    }
}
