package io.minik8s.kubelet.bootstrap;

import com.google.protobuf.ByteString;
import io.minik8s.api.CertificateSigningRequest;
import io.minik8s.api.CertificateSigningRequestCondition;
import io.minik8s.api.CertificateSigningRequestSpec;
import io.minik8s.api.ObjectMeta;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import io.minik8s.client.bootstrap.BootstrapToken;
import io.minik8s.client.pki.CertificateRequests;
import io.minik8s.client.pki.Certificates;
import io.minik8s.client.pki.Credential;
import io.minik8s.client.pki.PemFiles;
import io.minik8s.client.tls.ClientTls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kubelet's TLS bootstrap (Kubernetes' pkg/kubelet/certificate/bootstrap/bootstrap.go): with no
 * certificate of its own yet, it finds the cluster CA by the pin ({@link CaDiscovery}), makes its
 * own key (which never leaves the node), sends a CertificateSigningRequest for
 * {@code CN=system:node:<name>, O=system:nodes} authenticated by the bootstrap token, waits for the
 * controller-manager to approve and sign it, and writes {@code ca.crt}, {@code kubelet-client.crt}
 * and {@code kubelet-client.key} under {@code <root-dir>/pki}. A kubelet that finds a certificate
 * there signed by that CA and still valid uses it and sends nothing.
 */
public final class TlsBootstrap {
  private static final Logger log = LoggerFactory.getLogger(TlsBootstrap.class);
  public static final String CLIENT = "kubelet-client";
  public static final String CA = "ca";

  private final Path dir;
  private final String nodeName;
  private final String apiServers;
  private final Clock clock;

  public TlsBootstrap(Path rootDir, String nodeName, String apiServers, Clock clock) {
    this.dir = rootDir.resolve("pki");
    this.nodeName = nodeName;
    this.apiServers = apiServers;
    this.clock = clock;
  }

  /** The TLS of a kubelet that has joined: its own certificate if one is there, else one obtained with the token. */
  public ClientTls clientTls(String token, String caCertHash, Duration timeout) throws IOException, InterruptedException {
    if (validExisting()) {
      log.info("using the certificate in {} (bootstrap already done)", dir);
      return tls();
    }
    BootstrapToken parsed = BootstrapToken.parse(token).orElseThrow(() -> new IllegalArgumentException(
        "--bootstrap-token must have the form [a-z0-9]{6}.[a-z0-9]{16} (mkctl token create)"));
    String first = apiServers.split(",")[0].strip();
    X509Certificate ca = CaDiscovery.discover(first, caCertHash, (int) Math.min(timeout.toMillis(), 10_000));
    Files.createDirectories(dir);
    Path caFile = PemFiles.certFile(dir, CA);
    Files.write(caFile, CertificateRequests.pem(ca));
    log.info("cluster CA {} matches --ca-cert-hash; asking for a certificate as system:node:{}",
        ca.getSubjectX500Principal().getName(), nodeName);
    KeyPair keys = Certificates.newKeyPair();
    X509Certificate cert;
    try (ApiClient client = ApiClient.connect(apiServers, ClientTls.serverOnly(caFile), parsed.toString())) {
      cert = request(client, keys, timeout);
    }
    PemFiles.write(dir, CLIENT, new Credential(cert, keys.getPrivate()));
    log.info("joined: certificate for {} valid until {} written to {}", cert.getSubjectX500Principal().getName(),
        cert.getNotAfter().toInstant(), PemFiles.certFile(dir, CLIENT));
    return tls();
  }

  private ClientTls tls() {
    return ClientTls.mutual(PemFiles.certFile(dir, CA), PemFiles.certFile(dir, CLIENT), PemFiles.keyFile(dir, CLIENT));
  }

  private boolean validExisting() {
    if (!PemFiles.exists(dir, CLIENT) || !Files.isRegularFile(PemFiles.certFile(dir, CA))) {
      return false;
    }
    try {
      X509Certificate cert = PemFiles.readCertificate(PemFiles.certFile(dir, CLIENT));
      X509Certificate ca = PemFiles.readCertificate(PemFiles.certFile(dir, CA));
      return Certificates.signedBy(cert, ca) && clock.instant().isBefore(cert.getNotAfter().toInstant());
    } catch (IOException e) {
      return false;
    }
  }

  private X509Certificate request(ApiClient client, KeyPair keys, Duration timeout)
      throws IOException, InterruptedException {
    String name = "node-csr-" + nodeName + "-" + UUID.randomUUID().toString().substring(0, 8);
    CertificateSigningRequest csr = CertificateSigningRequest.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName(name))
        .setSpec(CertificateSigningRequestSpec.newBuilder()
            .setRequest(ByteString.copyFrom(CertificateRequests.create(keys, "system:node:" + nodeName,
                List.of("system:nodes"))))
            .setSignerName("kubernetes.io/kube-apiserver-client-kubelet")
            .addAllUsages(List.of("digital signature", "client auth")))
        .build();
    client.create(csr);
    log.info("sent certificate signing request {}; waiting for it to be approved and signed", name);
    Instant deadline = clock.instant().plus(timeout);
    while (clock.instant().isBefore(deadline)) {
      Optional<CertificateSigningRequest> now = client.find(Resources.CERTIFICATE_SIGNING_REQUESTS, "", name);
      if (now.isPresent()) {
        for (CertificateSigningRequestCondition c : now.get().getStatus().getConditionsList()) {
          if (c.getType().equals("Denied") || c.getType().equals("Failed")) {
            throw new IOException("certificate signing request " + name + " was " + c.getType().toLowerCase()
                + ": " + c.getReason() + ": " + c.getMessage());
          }
        }
        ByteString pem = now.get().getStatus().getCertificate();
        if (!pem.isEmpty()) {
          X509Certificate cert = parse(pem);
          if (!cert.getPublicKey().equals(keys.getPublic())) {
            throw new IOException("the certificate issued for " + name + " is not for this kubelet's key");
          }
          return cert;
        }
      }
      Thread.sleep(500);
    }
    throw new IOException("certificate signing request " + name + " was not signed within " + timeout
        + " (is the controller-manager running with --cluster-signing-cert-file?)");
  }

  private static X509Certificate parse(ByteString pem) throws IOException {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(pem.toByteArray()));
    } catch (CertificateException e) {
      throw new IOException("the issued certificate cannot be read: " + e.getMessage(), e);
    }
  }
}
