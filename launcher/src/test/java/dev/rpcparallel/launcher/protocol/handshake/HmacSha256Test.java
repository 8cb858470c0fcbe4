package dev.rpcparallel.launcher.protocol.handshake;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The handshake's HMAC-SHA256 gives the bytes of RFC 4231 and of the JCE's {@code Mac}. */
class HmacSha256Test {
    private static String hmac(byte[] key, byte[]... parts) {
        HmacSha256 mac = new HmacSha256(key);
        for (byte[] part : parts) {
            mac.update(part);
        }
        return HexFormat.of().formatHex(mac.doFinal());
    }

    private static byte[] repeated(int value, int count) {
        byte[] bytes = new byte[count];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    @Test
    void rfc4231TestVectors() {
        HexFormat hex = HexFormat.of();
        // Test case 1: a 20-byte key.
        assertThat(hmac(repeated(0x0b, 20), "Hi There".getBytes(UTF_8)))
                .isEqualTo("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
        // Test case 2: a key shorter than the output, the message in two updates.
        assertThat(hmac("Jefe".getBytes(UTF_8), "what do ya want ".getBytes(UTF_8), "for nothing?".getBytes(UTF_8)))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        // Test case 6: a 131-byte key, longer than a block, hashed first.
        assertThat(hmac(repeated(0xaa, 131),
                "Test Using Larger Than Block-Size Key - Hash Key First".getBytes(UTF_8)))
                .isEqualTo("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
        assertThat(hex.parseHex(hmac(new byte[0]))).hasSize(32);
    }

    @Test
    void theSameBytesAsTheJceMacForKeysAndMessagesOfEveryLength() throws Exception {
        Random random = new Random(17);
        for (int keyLength : new int[] {1, 16, 32, 63, 64, 65, 128, 200}) {
            for (int messageLength : new int[] {0, 1, 55, 56, 64, 1000}) {
                byte[] key = new byte[keyLength];
                byte[] message = new byte[messageLength];
                random.nextBytes(key);
                random.nextBytes(message);
                Mac jce = Mac.getInstance("HmacSHA256");
                jce.init(new SecretKeySpec(key, "HmacSHA256"));
                assertThat(hmac(key, message)).as("key %d bytes, message %d bytes", keyLength, messageLength)
                        .isEqualTo(HexFormat.of().formatHex(jce.doFinal(message)));
            }
        }
    }
}
