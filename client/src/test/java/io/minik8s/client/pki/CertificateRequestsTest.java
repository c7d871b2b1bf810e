package io.minik8s.client.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minik8s.client.bootstrap.CaCertHash;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CertificateRequestsTest {
  private static final Instant NOW = Instant.now();

  @Test
  void aRequestIsSignedForItsSubjectAndKeyAsAClientCertificate() throws Exception {
    Credential ca = Certificates.newCa("minik8s-ca", NOW);
    KeyPair keys = Certificates.newKeyPair();
    byte[] pem = CertificateRequests.create(keys, "system:node:n1", List.of("system:nodes"));
    assertThat(new String(pem, StandardCharsets.US_ASCII)).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
    CertificateRequests.Parsed req = CertificateRequests.parse(pem);
    assertThat(req.commonName()).isEqualTo("system:node:n1");
    assertThat(req.organizations()).containsExactly("system:nodes");

    X509Certificate cert = CertificateRequests.signClient(ca, req, NOW, Duration.ofDays(365));
    assertThat(Certificates.signedBy(cert, ca.certificate())).isTrue();
    assertThat(cert.getPublicKey()).isEqualTo(keys.getPublic());
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2"); // client auth only
    assertThat(cert.getSubjectX500Principal().getName()).contains("CN=system:node:n1").contains("O=system:nodes");
    assertThat(Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()))
        .isEqualTo(Duration.ofDays(365));
  }

  @Test
  void garbageAndOtherPemBlocksAreNotRequests() {
    Credential ca = Certificates.newCa("x", NOW);
    assertThatThrownBy(() -> CertificateRequests.parse("hello".getBytes()))
        .hasMessageContaining("CERTIFICATE REQUEST");
    assertThatThrownBy(() -> CertificateRequests.parse(CertificateRequests.pem(ca.certificate())))
        .hasMessage("PEM block type must be CERTIFICATE REQUEST");
  }

  @Test
  void theCaPinIsTheHashOfItsPublicKeyAndTellsCasApart() {
    Credential a = Certificates.newCa("a", NOW);
    Credential b = Certificates.newCa("a", NOW);
    String pin = CaCertHash.of(a.certificate());
    assertThat(pin).matches("sha256:[0-9a-f]{64}");
    assertThat(CaCertHash.matches(pin, a.certificate())).isTrue();
    assertThat(CaCertHash.matches(pin, b.certificate())).isFalse();
    assertThatThrownBy(() -> CaCertHash.parse("md5:abc")).hasMessageContaining("--ca-cert-hash must be sha256:");
  }
}
