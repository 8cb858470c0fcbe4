package dev.rpcparallel.launcher.tls;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A self-signed X.509 v3 certificate of an EC key pair, signed with ECDSA over SHA-256, encoded
 * here in DER (RFC 5280, section 4.1) because the JDK has a public API to read certificates but
 * none to build one. Only what a pinned certificate needs: version, serial number, issuer and
 * subject (one common name), validity and the public key; no extensions. The JDK's certificate
 * factory reads the result back, which checks the encoding. Stateless.
 */
final class SelfSignedCertificate {
    /** ecdsa-with-SHA256, 1.2.840.10045.4.3.2 (RFC 5758), with its DER tag and length. */
    private static final byte[] ECDSA_WITH_SHA256 =
            {0x06, 0x08, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x04, 0x03, 0x02};
    /** id-at-commonName, 2.5.4.3, with its DER tag and length. */
    private static final byte[] COMMON_NAME = {0x06, 0x03, 0x55, 0x04, 0x03};

    private static final int SEQUENCE = 0x30;
    private static final int SET = 0x31;
    private static final int INTEGER = 0x02;
    private static final int BIT_STRING = 0x03;
    private static final int UTF8_STRING = 0x0C;
    private static final int UTC_TIME = 0x17;
    private static final int GENERALIZED_TIME = 0x18;
    /** [0] EXPLICIT, constructed: the version's tag in a TBSCertificate. */
    private static final int VERSION_TAG = 0xA0;

    private static final DateTimeFormatter UTC_TIME_FORMAT = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter GENERALIZED_TIME_FORMAT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private SelfSignedCertificate() {}

    /**
     * A certificate of {@code keys} named {@code commonName}, valid from {@code notBefore} for
     * {@code validity}.
     *
     * @throws GeneralSecurityException if the JDK cannot sign with the key or read the result
     */
    static X509Certificate of(KeyPair keys, String commonName, Instant notBefore, Duration validity)
            throws GeneralSecurityException {
        byte[] algorithm = tlv(SEQUENCE, ECDSA_WITH_SHA256);
        byte[] name = tlv(SEQUENCE, tlv(SET, tlv(SEQUENCE, COMMON_NAME, tlv(UTF8_STRING, commonName.getBytes(UTF_8)))));
        byte[] serial = new BigInteger(1, randomBytes(16)).toByteArray(); // positive, at most 17 bytes
        byte[] tbs = tlv(SEQUENCE,
                tlv(VERSION_TAG, tlv(INTEGER, new byte[] {2})), // v3
                tlv(INTEGER, serial),
                algorithm,
                name,
                tlv(SEQUENCE, time(notBefore), time(notBefore.plus(validity))),
                name,
                keys.getPublic().getEncoded()); // already a DER SubjectPublicKeyInfo
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(keys.getPrivate());
        signer.update(tbs);
        byte[] signature = signer.sign(); // already DER: SEQUENCE { r, s }
        byte[] certificate = tlv(SEQUENCE, tbs, algorithm, tlv(BIT_STRING, new byte[] {0}, signature));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate));
    }

    /** UTCTime through 2049, GeneralizedTime from 2050 on, as RFC 5280 asks. */
    private static byte[] time(Instant instant) {
        int year = instant.atZone(ZoneOffset.UTC).getYear();
        return year < 2050 ? tlv(UTC_TIME, UTC_TIME_FORMAT.format(instant).getBytes(US_ASCII))
                : tlv(GENERALIZED_TIME, GENERALIZED_TIME_FORMAT.format(instant).getBytes(US_ASCII));
    }

    /** A DER tag, its definite length, and the concatenated contents. */
    static byte[] tlv(int tag, byte[]... contents) {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        for (byte[] content : contents) {
            value.writeBytes(content);
        }
        int length = value.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else {
            int octets = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | octets);
            for (int shift = (octets - 1) * 8; shift >= 0; shift -= 8) {
                out.write(length >>> shift);
            }
        }
        out.writeBytes(value.toByteArray());
        return out.toByteArray();
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
