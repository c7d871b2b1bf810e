package io.minik8s.client.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterPkiTest {
  static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  @TempDir Path dir;
  final List<String> said = new ArrayList<>();

  ClusterPki pki(Instant now) {
    return new ClusterPki(dir, Clock.fixed(now, ZoneOffset.UTC), said::add);
  }

  X509Certificate cert(String name) throws Exception {
    return PemFiles.readCertificate(PemFiles.certFile(dir, name));
  }

  @Test
  void theApiServerCertificateNamesEveryWayItIsReached() throws Exception {
    pki(NOW).init(List.of("10.0.0.10", "cp.example.org"));
    SubjectNames names = X509Names.subjectNames(cert(ClusterPki.APISERVER));
    assertThat(names.dnsNames()).containsExactlyInAnyOrder("localhost", "kubernetes", "kubernetes.default",
        "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", "cp.example.org");
    assertThat(names.ipAddresses()).containsExactlyInAnyOrder("127.0.0.1", "10.96.0.1", "10.0.0.10");
    assertThat(cert(ClusterPki.APISERVER).getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
  }

  @Test
  void caIsTenYearsAndLeavesOneYearBackdatedFiveMinutes() throws Exception {
    pki(NOW).init(List.of());
    X509Certificate ca = cert(ClusterPki.CA);
    assertThat(ca.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofMinutes(5)));
    assertThat(ca.getNotAfter().toInstant()).isEqualTo(NOW.minus(Duration.ofMinutes(5)).plus(Duration.ofDays(3650)));
    assertThat(ca.getBasicConstraints()).as("a CA").isGreaterThanOrEqualTo(0);
    assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
    X509Certificate etcdCa = PemFiles.readCertificate(PemFiles.certFile(dir.resolve("etcd"), "ca"));
    assertThat(etcdCa.getPublicKey()).isNotEqualTo(ca.getPublicKey());
    for (String leaf : List.of(ClusterPki.APISERVER, ClusterPki.ADMIN, ClusterPki.APISERVER_KUBELET_CLIENT)) {
      X509Certificate c = cert(leaf);
      assertThat(c.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofMinutes(5)));
      assertThat(c.getNotAfter().toInstant()).isEqualTo(NOW.minus(Duration.ofMinutes(5)).plus(Duration.ofDays(365)));
      assertThat(c.getBasicConstraints()).as(leaf + " is no CA").isEqualTo(-1);
      assertThat(c.getKeyUsage()[0]).as("digitalSignature").isTrue();
      assertThat(c.getKeyUsage()[5]).as("no keyCertSign").isFalse();
      assertThat(Certificates.signedBy(c, ca)).isTrue();
    }
    X509Certificate etcdClient = cert(ClusterPki.APISERVER_ETCD_CLIENT);
    assertThat(Certificates.signedBy(etcdClient, etcdCa)).isTrue();
    assertThat(Certificates.signedBy(etcdClient, ca)).as("etcd's own CA, not the cluster's").isFalse();
  }

  @Test
  void clientCertificatesCarryTheIdentity() throws Exception {
    pki(NOW).init(List.of());
    assertThat(X509Names.subject(cert(ClusterPki.ADMIN)))
        .isEqualTo(new X509Names.Subject("kubernetes-admin", List.of("system:masters")));
    assertThat(X509Names.subject(cert(ClusterPki.CONTROLLER_MANAGER)).commonName()).isEqualTo("system:kube-controller-manager");
    assertThat(X509Names.subject(cert(ClusterPki.SCHEDULER)).commonName()).isEqualTo("system:kube-scheduler");
    assertThat(X509Names.subject(cert(ClusterPki.KUBE_PROXY)).commonName()).isEqualTo("system:kube-proxy");
    assertThat(X509Names.subject(cert(ClusterPki.APISERVER_KUBELET_CLIENT)).commonName()).isEqualTo("kube-apiserver-kubelet-client");
    assertThat(cert(ClusterPki.ADMIN).getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
  }

  @Test
  void aNodeCertificateServesItsAddressAndNamesTheNode() throws Exception {
    pki(NOW).init(List.of());
    pki(NOW).node("node-1", List.of("10.0.0.11"));
    X509Certificate c = cert("node-node-1");
    assertThat(X509Names.subject(c)).isEqualTo(new X509Names.Subject("system:node:node-1", List.of("system:nodes")));
    assertThat(X509Names.subjectNames(c).ipAddresses()).containsExactly("10.0.0.11");
    assertThat(X509Names.subjectNames(c).dnsNames()).containsExactly("node-1");
    assertThat(c.getExtendedKeyUsage()).containsExactlyInAnyOrder(SERVER_AUTH, CLIENT_AUTH);
    assertThatThrownBy(() -> pki(NOW).node("Node_1", List.of())).hasMessageContaining("node name \"Node_1\"");
  }

  @Test
  void aNodeNeedsTheCaFirst() {
    assertThatThrownBy(() -> pki(NOW).node("node-1", List.of())).hasMessageContaining("pki init");
  }

  @Test
  void aSecondInitKeepsEverythingAndKeysAreReadableOnlyByTheirOwner() throws Exception {
    pki(NOW).init(List.of("10.0.0.10"));
    X509Certificate before = cert(ClusterPki.APISERVER);
    said.clear();
    pki(NOW.plus(Duration.ofDays(200))).init(List.of("10.0.0.10"));
    assertThat(cert(ClusterPki.APISERVER)).isEqualTo(before);
    assertThat(said).isEmpty();
    assertThat(Files.getPosixFilePermissions(PemFiles.keyFile(dir, ClusterPki.CA)))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void aLeafWithinNinetyDaysOfItsEndIsRenewedButNotTheCa() throws Exception {
    pki(NOW).init(List.of());
    X509Certificate ca = cert(ClusterPki.CA);
    X509Certificate admin = cert(ClusterPki.ADMIN);
    Instant later = NOW.plus(Duration.ofDays(280)); // 80 days before the end
    pki(later).init(List.of());
    assertThat(cert(ClusterPki.CA)).isEqualTo(ca);
    X509Certificate renewed = cert(ClusterPki.ADMIN);
    assertThat(renewed.getSerialNumber()).isNotEqualTo(admin.getSerialNumber());
    assertThat(renewed.getNotAfter().toInstant()).isEqualTo(later.minus(Duration.ofMinutes(5)).plus(Duration.ofDays(365)));
    assertThat(said).anyMatch(l -> l.startsWith("renewing ") && l.contains("admin.crt") && l.contains("within 90 days"));
  }

  @Test
  void anAddedSanReissuesTheServingCertificate() throws Exception {
    pki(NOW).init(List.of("10.0.0.10"));
    pki(NOW).init(List.of("10.0.0.10", "10.0.0.20"));
    assertThat(X509Names.subjectNames(cert(ClusterPki.APISERVER)).ipAddresses()).contains("10.0.0.10", "10.0.0.20");
  }

  @Test
  void aMalformedSanIsRefusedByName() {
    assertThatThrownBy(() -> pki(NOW).init(List.of("bad name!"))).hasMessageContaining("\"bad name!\"");
  }
}
