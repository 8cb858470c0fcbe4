package dev.rpcparallel.launcher.protocol.handshake;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * HMAC-SHA256 (RFC 2104) over the JVM's {@code SHA-256} {@link MessageDigest}: the same bytes as
 * {@code javax.crypto.Mac.getInstance("HmacSHA256")}, without the JCE. Finding that {@code Mac}
 * instantiates every security provider listed before SunJCE (SunEC through a {@code
 * ServiceLoader} that also walks the class path) and sets up the JCE's jurisdiction policy: a
 * tenth of a worker's CPU until its first answer, where SHA-256 comes from the first provider.
 *
 * <p>Not thread-safe: one instance per proof.
 */
final class HmacSha256 {
    private static final int BLOCK = 64;
    private static final byte INNER_PAD = 0x36;
    private static final byte OUTER_PAD = 0x5c;

    private final MessageDigest digest;
    private final byte[] key;

    /** Starts an HMAC with {@code secret} (of any length: one longer than a block is hashed first). */
    HmacSha256(byte[] secret) {
        digest = sha256();
        byte[] padded = Arrays.copyOf(secret.length > BLOCK ? digest.digest(secret) : secret, BLOCK);
        key = padded;
        digest.update(xor(padded, INNER_PAD));
    }

    void update(byte[] bytes) {
        digest.update(bytes);
    }

    /** The HMAC of everything updated; this instance is used up. */
    byte[] doFinal() {
        byte[] inner = digest.digest();
        digest.update(xor(key, OUTER_PAD));
        Arrays.fill(key, (byte) 0);
        return digest.digest(inner);
    }

    private static byte[] xor(byte[] key, byte pad) {
        byte[] out = new byte[key.length];
        for (int i = 0; i < key.length; i++) {
            out[i] = (byte) (key[i] ^ pad);
        }
        return out;
    }

    /** The JVM's SHA-256, which every Java SE JVM has. */
    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256 MessageDigest, which every Java SE JVM must have", e);
        }
    }
}
