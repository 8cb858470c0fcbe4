package dev.rpcparallel.launcher.fork;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The name of a CDS archive in the cache: the first {@value #HEX_DIGITS} hex digits of the
 * SHA-256 of what the archive depends on, fed in order: texts as their UTF-8 bytes, numbers as
 * eight bytes, least significant first. The same inputs give the same key in every JVM and
 * every version of the runtime, so archives made earlier stay found. Not thread-safe: one key
 * per spawn.
 */
final class ArchiveKey {
    static final int HEX_DIGITS = 32;

    private final MessageDigest digest;
    private final ByteBuffer number = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);

    private ArchiveKey() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256, which every Java platform must have", e);
        }
    }

    static ArchiveKey start() {
        return new ArchiveKey();
    }

    ArchiveKey add(String text) {
        digest.update(text.getBytes(UTF_8));
        return this;
    }

    ArchiveKey add(long value) {
        digest.update(number.clear().putLong(value).array());
        return this;
    }

    /** The key; the digest is then reset, so the key must not be added to afterwards. */
    String hex() {
        return HexFormat.of().formatHex(digest.digest()).substring(0, HEX_DIGITS);
    }
}
