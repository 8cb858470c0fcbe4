package dev.rpcparallel.launcher.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Date;
import org.junit.jupiter.api.Test;

class ApplicationKeyTest {

    @Test
    void aGeneratedKeyIsEcP256WithASelfSignedV3CertificateValidNow() throws Exception {
        ApplicationKey key = ApplicationKey.generate();
        X509Certificate certificate = key.certificate();
        assertThat(certificate.getVersion()).isEqualTo(3);
        assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=" + ApplicationKey.COMMON_NAME);
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(certificate.getSubjectX500Principal());
        ECPublicKey publicKey = (ECPublicKey) certificate.getPublicKey();
        assertThat(publicKey.getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        certificate.verify(publicKey); // self-signed: throws if the signature or the encoding is wrong
        certificate.checkValidity(new Date());
        certificate.checkValidity(Date.from(Instant.now().plus(Duration.ofDays(3000))));
        // The private key is the certificate's.
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key.privateKey());
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(publicKey);
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void twoKeysDifferInKeyAndSerialNumber() {
        ApplicationKey one = ApplicationKey.generate();
        ApplicationKey other = ApplicationKey.generate();
        assertThat(other.certificate()).isNotEqualTo(one.certificate());
        assertThat(other.certificate().getSerialNumber()).isNotEqualTo(one.certificate().getSerialNumber());
        assertThat(other.privateKey().getEncoded()).isNotEqualTo(one.privateKey().getEncoded());
    }

    @Test
    void theEncodingASpawnSendsDecodesToTheSameKeyAndCertificate() {
        ApplicationKey key = ApplicationKey.generate();
        ApplicationKey decoded = ApplicationKey.decode(key.encoded());
        assertThat(decoded.privateKey().getEncoded()).isEqualTo(key.privateKey().getEncoded());
        assertThat(decoded.certificate()).isEqualTo(key.certificate());
    }

    @Test
    void aGarbledEncodingIsRefusedWithAMessage() {
        byte[] encoded = ApplicationKey.generate().encoded();
        assertThatThrownBy(() -> ApplicationKey.decode(Arrays.copyOf(encoded, encoded.length - 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the application's TLS key from the master is garbled");
        byte[] flipped = encoded.clone();
        flipped[10] ^= 0x55; // inside the PKCS#8 key's structure
        assertThatThrownBy(() -> ApplicationKey.decode(flipped))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("garbled");
    }

    @Test
    void toStringNamesTheCertificateButNeverTheKey() {
        ApplicationKey key = ApplicationKey.generate();
        assertThat(key.toString()).contains(ApplicationKey.COMMON_NAME)
                .contains(key.certificate().getSerialNumber().toString(16))
                .doesNotContain(key.privateKey().toString());
    }

    @Test
    void validityFrom2050OnIsEncodedAsGeneralizedTime() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        Instant notBefore = Instant.parse("2049-06-01T10:20:30Z");
        X509Certificate certificate = SelfSignedCertificate.of(keys, "x", notBefore, Duration.ofDays(730));
        assertThat(certificate.getNotBefore().toInstant()).isEqualTo(notBefore);
        assertThat(certificate.getNotAfter().toInstant().atZone(ZoneOffset.UTC).getYear()).isEqualTo(2051);
        certificate.verify(keys.getPublic());
    }

    @Test
    void derLengthsPastOneOctetUseTheLongForm() {
        assertThat(SelfSignedCertificate.tlv(0x04, new byte[5])).startsWith(0x04, 5);
        assertThat(SelfSignedCertificate.tlv(0x04, new byte[200])).startsWith(0x04, 0x81, 200).hasSize(203);
        assertThat(SelfSignedCertificate.tlv(0x04, new byte[300])).startsWith(0x04, 0x82, 0x01, 0x2C).hasSize(304);
    }
}
