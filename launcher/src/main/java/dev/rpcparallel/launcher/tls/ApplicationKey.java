package dev.rpcparallel.launcher.tls;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;

/**
 * One application's TLS identity: an EC P-256 private key and its self-signed certificate,
 * generated in memory by the master ({@link #generate}) and given to each worker with the
 * application's secret, on the worker's stdin ({@link #encoded}, {@link #decode}). Every process
 * of the application presents the certificate and trusts no other ({@link PinnedTlsContext}).
 *
 * <p>Immutable. {@link #toString()} never shows the private key.
 *
 * @param privateKey the key
 * @param certificate its self-signed certificate
 */
public record ApplicationKey(PrivateKey privateKey, X509Certificate certificate) {
    /** The certificate's common name. */
    public static final String COMMON_NAME = "rpc-parallel application";
    /** How long before its generation a certificate is valid: the clocks of hosts differ a little. */
    private static final Duration CLOCK_SKEW = Duration.ofDays(1);
    /** How long a certificate stays valid: longer than any master runs. */
    private static final Duration VALIDITY = Duration.ofDays(3660);
    /** Larger than any real encoding (a P-256 key and certificate take well under 1 KiB): a guard. */
    private static final int MAX_PART_BYTES = 64 * 1024;

    public ApplicationKey {
        requireNonNull(privateKey, "privateKey");
        requireNonNull(certificate, "certificate");
    }

    /**
     * A fresh key pair and certificate.
     *
     * @throws IllegalStateException if this JDK has no EC P-256 or ECDSA (every JDK 17 has both)
     */
    public static ApplicationKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            X509Certificate certificate = SelfSignedCertificate.of(keys, COMMON_NAME, Instant.now().minus(CLOCK_SKEW),
                    VALIDITY.plus(CLOCK_SKEW));
            return new ApplicationKey(keys.getPrivate(), certificate);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate the application's TLS key (EC P-256, ECDSA with SHA-256)"
                    + " with this JDK: " + e.getMessage(), e);
        }
    }

    /** The key (PKCS#8) and the certificate (DER), each length first: what {@link #decode} reads. */
    public byte[] encoded() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
            DataOutputStream out = new DataOutputStream(bytes);
            byte[] key = privateKey.getEncoded();
            out.writeInt(key.length);
            out.write(key);
            byte[] certificateBytes = certificate.getEncoded();
            out.writeInt(certificateBytes.length);
            out.write(certificateBytes);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not from a byte array
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode the application's certificate: " + e.getMessage(), e);
        }
    }

    /**
     * Reads what {@link #encoded} wrote.
     *
     * @throws IllegalArgumentException if {@code bytes} are not such an encoding
     */
    public static ApplicationKey decode(byte[] bytes) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            byte[] key = readPart(in);
            byte[] certificateBytes = readPart(in);
            if (in.available() != 0) {
                throw new IOException("bytes after the certificate");
            }
            PrivateKey privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(key));
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certificateBytes));
            return new ApplicationKey(privateKey, certificate);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the application's TLS key from the master is garbled: " + e.getMessage(),
                    e);
        }
    }

    private static byte[] readPart(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length <= 0 || length > MAX_PART_BYTES || length > in.available()) {
            throw new IOException("a part of " + length + " bytes");
        }
        byte[] part = new byte[length];
        in.readFully(part);
        return part;
    }

    /** The certificate's subject and serial number; never the key. */
    @Override
    public String toString() {
        return "ApplicationKey[" + certificate.getSubjectX500Principal().getName() + ", serial "
                + certificate.getSerialNumber().toString(16) + "]";
    }
}
