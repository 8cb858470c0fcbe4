package dev.rpcparallel.launcher.rpc;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Challenge-response proofs of the application's secret: HMAC-SHA256 over a role label, both
 * nonces and the target id, compared in constant time. Each side proves itself with its own
 * label, so a proof cannot be reflected back.
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

    public static byte[] serverProof(byte[] secret, byte[] clientNonce, byte[] serverNonce, String targetId) {
        return hmac(secret, "rpc-parallel server", clientNonce, serverNonce, targetId);
    }

    public static byte[] clientProof(byte[] secret, byte[] clientNonce, byte[] serverNonce, String targetId) {
        return hmac(secret, "rpc-parallel client", clientNonce, serverNonce, targetId);
    }

    public static boolean matches(byte[] expected, byte[] actual) {
        return actual != null && MessageDigest.isEqual(expected, actual);
    }

    private static byte[] hmac(byte[] secret, String label, byte[] clientNonce, byte[] serverNonce, String targetId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(label.getBytes(UTF_8));
            mac.update((byte) 0);
            mac.update(clientNonce);
            mac.update(serverNonce);
            mac.update(targetId.getBytes(UTF_8));
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
