package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.minik8s.api.CertificateSigningRequest;
import io.minik8s.api.CertificateSigningRequestSpec;
import io.minik8s.api.Event;
import io.minik8s.api.Node;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Secret;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import io.minik8s.client.bootstrap.BootstrapToken;
import io.minik8s.client.bootstrap.CaCertHash;
import io.minik8s.client.pki.CertificateRequests;
import io.minik8s.client.pki.Certificates;
import io.minik8s.client.pki.ClusterPki;
import io.minik8s.client.pki.PemFiles;
import io.minik8s.client.tls.ClientTls;
import io.minik8s.controllermanager.ControllerManager;
import io.minik8s.kubelet.Kubelet;
import io.minik8s.kubelet.bootstrap.CaDiscovery;
import io.minik8s.kubelet.bootstrap.TlsBootstrap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node joins with a bootstrap token, as with kubeadm join: mkctl token create, then a real
 * kubelet that pins the CA, sends its CSR with the token, gets it approved and signed by the
 * controller-manager's certificate controller, and registers as a Ready node under its new
 * identity. Then the bad joins: bad tokens, hostile CSRs and a wrong CA pin, each refused with a
 * clear message (and a CSRDenied Event where the controller decides), nothing issued.
 */
@Timeout(300)
class NodeJoinTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static ControlPlane cp;
  private static ControllerManager manager;
  private static String pin;

  @BeforeAll
  static void start() throws Exception {
    cp = ControlPlane.shared();
    ClusterPki pki = TestPki.shared().pki;
    manager = ControllerManager.start(ControllerManager.Options.defaults(cp.server()).withLeaderElect(false)
        .withHealthPort(0), TestPki.shared().controllerManager(), PemFiles.read(pki.dir(), ClusterPki.CA));
    pin = CaCertHash.of(PemFiles.readCertificate(TestPki.shared().ca()));
  }

  @AfterAll
  static void stop() {
    if (manager != null) {
      manager.close();
    }
  }

  /** mkctl token create: the token on the first line, the kubelet's join flags on the second. */
  private static BootstrapToken createToken(String ttl) {
    Mkctl.Result r = Mkctl.run(cp.server(), "token", "create", "--ttl", ttl);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(1)).contains("--bootstrap-token " + lines.get(0)).contains("--ca-cert-hash " + pin);
    return BootstrapToken.parse(lines.get(0)).orElseThrow();
  }

  private static ApiClient asToken(String token) {
    return ApiClient.connect(cp.server(), TestPki.shared().serverOnly(), token);
  }

  private static CertificateSigningRequest csr(String name, KeyPair keys, String cn, List<String> orgs) {
    return CertificateSigningRequest.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(name))
        .setSpec(CertificateSigningRequestSpec.newBuilder()
            .setRequest(ByteString.copyFrom(CertificateRequests.create(keys, cn, orgs)))
            .setSignerName("kubernetes.io/kube-apiserver-client-kubelet")
            .addUsages("digital signature").addUsages("client auth")).build();
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static CertificateSigningRequest awaitDecided(String name) {
    return Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(
        () -> cp.client.<CertificateSigningRequest>get(Resources.CERTIFICATE_SIGNING_REQUESTS, "", name),
        c -> c.getStatus().getConditionsCount() > 0);
  }

  /** The controller denied {@code name} with this reason, said so in an Event, and issued nothing. */
  private static void assertDenied(String name, String reason, String inMessage) {
    CertificateSigningRequest c = awaitDecided(name);
    assertThat(c.getStatus().getConditionsList()).singleElement().satisfies(cond -> {
      assertThat(cond.getType()).isEqualTo("Denied");
      assertThat(cond.getReason()).isEqualTo(reason);
      assertThat(cond.getMessage()).contains(inMessage);
    });
    assertThat(c.getStatus().getCertificate().isEmpty()).isTrue();
    Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(cp.client.<Event>list(Resources.EVENTS, "default", ""))
        .anyMatch(e -> e.getInvolvedObject().getName().equals(name) && e.getReason().equals("CSRDenied")
            && e.getType().equals("Warning") && e.getMessage().contains(inMessage)));
  }

  @Test
  void aNodeJoinsWithATokenAndBecomesReadyUnderItsOwnIdentity() throws Exception {
    BootstrapToken token = createToken("1h");
    Secret stored = cp.client.get(Resources.SECRETS, "kube-system", "bootstrap-token-" + token.id());
    assertThat(stored.getType()).isEqualTo("bootstrap.kubernetes.io/token");
    assertThat(stored.getDataMap().get("token-secret").toString(StandardCharsets.US_ASCII))
        .isEqualTo(BootstrapToken.hashSecret(token.secret())).doesNotContain(token.secret());

    try (KubeletFixture f = new KubeletFixture("join")) {
      ClientTls tls = new TlsBootstrap(f.rootDir, f.node, cp.server(), Clock.systemUTC())
          .clientTls(token.toString(), pin, WAIT);
      X509Certificate cert = PemFiles.readCertificate(tls.certFile());
      assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=system:node:" + f.node + ",O=system:nodes");
      assertThat(Certificates.signedBy(cert, PemFiles.readCertificate(TestPki.shared().ca()))).isTrue();
      assertThat(Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()))
          .isEqualTo(Duration.ofDays(365));
      assertThat(tls.keyFile()).startsWith(f.rootDir);
      assertThat(cp.client.<CertificateSigningRequest>list(Resources.CERTIFICATE_SIGNING_REQUESTS, "", ""))
          .filteredOn(c -> c.getMetadata().getName().startsWith("node-csr-" + f.node + "-")).singleElement()
          .satisfies(c -> {
            assertThat(c.getSpec().getUsername()).isEqualTo("system:bootstrap:" + token.id());
            assertThat(c.getSpec().getGroupsList()).contains("system:bootstrappers");
            assertThat(c.getStatus().getConditionsList()).anyMatch(x -> x.getType().equals("Approved"));
          });

      f.kubelet = Kubelet.start(f.config(), tls);
      Awaitility.await().atMost(WAIT).ignoreExceptions().until(() -> {
        Node n = cp.client.get(Resources.NODES, "", f.node);
        return n.getStatus().getConditionsList().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
      });

      // a second start finds the certificate and sends no new request, token or not
      ClientTls again = new TlsBootstrap(f.rootDir, f.node, cp.server(), Clock.systemUTC())
          .clientTls("zzzzzz.zzzzzzzzzzzzzzzz", pin, WAIT);
      assertThat(again.certFile()).isEqualTo(tls.certFile());

      // the same request sent again (a replay of the issued CSR's key) is not signed twice
      CertificateSigningRequest issued = cp.client.<CertificateSigningRequest>list(
          Resources.CERTIFICATE_SIGNING_REQUESTS, "", "").stream()
          .filter(c -> c.getMetadata().getName().startsWith("node-csr-" + f.node + "-")).findFirst().orElseThrow();
      String replay = unique("replay");
      try (ApiClient c = asToken(createToken("1h").toString())) {
        c.create(issued.toBuilder().setMetadata(ObjectMeta.newBuilder().setName(replay)).clearStatus().build());
      }
      assertDenied(replay, "Replayed", issued.getMetadata().getName());
    }
  }

  @Test
  void badTokensAreUnauthorizedAndSendNothing() throws Exception {
    BootstrapToken expired = BootstrapToken.generate();
    cp.client.create(expired.toSecret(Instant.now().minusSeconds(60)));
    BootstrapToken unknown = BootstrapToken.generate();
    BootstrapToken wrongSecret = new BootstrapToken(createToken("1h").id(), "0000000000000000");
    for (BootstrapToken bad : List.of(expired, unknown, wrongSecret)) {
      Path root = Files.createTempDirectory("join-bad");
      String node = unique("bad");
      assertThatThrownBy(() -> new TlsBootstrap(root, node, cp.server(), Clock.systemUTC())
          .clientTls(bad.toString(), pin, WAIT))
          .as(bad.toString()).isInstanceOf(StatusRuntimeException.class).hasMessageContaining("UNAUTHENTICATED: Unauthorized");
      assertThat(cp.client.<CertificateSigningRequest>list(Resources.CERTIFICATE_SIGNING_REQUESTS, "", ""))
          .noneMatch(c -> c.getMetadata().getName().contains(node));
      assertThat(Files.exists(root.resolve("pki/kubelet-client.key"))).isFalse();
    }
    assertThatThrownBy(() -> new TlsBootstrap(Files.createTempDirectory("join-bad"), "n", cp.server(), Clock.systemUTC())
        .clientTls("abcdef-0123456789abcdef", pin, WAIT))
        .hasMessageContaining("--bootstrap-token must have the form [a-z0-9]{6}.[a-z0-9]{16}");
    try (ApiClient c = asToken("abcdef.0123456789abcdeF")) {
      assertThatThrownBy(() -> c.create(csr(unique("malformed"), Certificates.newKeyPair(), "system:node:m",
          List.of("system:nodes")))).hasMessageContaining("UNAUTHENTICATED: Unauthorized");
    }
  }

  @Test
  void aWrongCaPinIsRefusedBeforeTheTokenIsSent() throws Exception {
    String other = CaCertHash.of(Certificates.newCa("mallory", Instant.now()).certificate());
    Path root = Files.createTempDirectory("join-pin");
    assertThatThrownBy(() -> new TlsBootstrap(root, unique("pin"), cp.server(), Clock.systemUTC())
        .clientTls(createToken("1h").toString(), other, WAIT))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("presented no CA matching --ca-cert-hash " + other)
        .hasMessageContaining(pin); // what it offered
    assertThat(Files.exists(root.resolve("pki/ca.crt"))).isFalse();
    assertThat(CaDiscovery.discover(cp.server(), pin, 10_000)).isEqualTo(PemFiles.readCertificate(TestPki.shared().ca()));
  }

  @Test
  void hostileRequestsAreDeniedWithAnEventAndNothingIssued() throws Exception {
    BootstrapToken token = createToken("1h");
    String masters = unique("masters");
    String admin = unique("admin");
    String spoof = unique("spoof");
    try (ApiClient c = asToken(token.toString())) {
      c.create(csr(masters, Certificates.newKeyPair(), "system:node:evil", List.of("system:masters")));
      c.create(csr(admin, Certificates.newKeyPair(), "kubernetes-admin", List.of("system:nodes")));
      // the requester is the api-server's to fill in: a client that claims to be a node is still its token
      CertificateSigningRequest claimed = csr(spoof, Certificates.newKeyPair(), "system:node:evil", List.of("system:masters"));
      claimed = claimed.toBuilder().setSpec(claimed.getSpec().toBuilder().setUsername("system:node:evil")
          .clearGroups().addGroups("system:nodes")).build();
      CertificateSigningRequest stored = c.create(claimed);
      assertThat(stored.getSpec().getUsername()).isEqualTo("system:bootstrap:" + token.id());
      assertThat(stored.getSpec().getGroupsList()).contains("system:bootstrappers").doesNotContain("system:nodes");
      // a bootstrap token may not approve or sign
      CertificateSigningRequest forged = stored.toBuilder().setStatus(stored.getStatus().toBuilder()
          .setCertificate(ByteString.copyFromUtf8("forged"))).build();
      assertThatThrownBy(() -> c.updateStatus(forged)).hasMessageContaining("PERMISSION_DENIED");
    }
    assertDenied(masters, "NotNodeGroup", "system:masters");
    assertDenied(admin, "NotNodeName", "kubernetes-admin");
    assertDenied(spoof, "NotNodeGroup", "system:masters");

    // node A renewing with its own certificate, but for node B's name
    String nodeA = unique("node-a");
    String renewal = unique("renewal");
    try (ApiClient a = ApiClient.connect(cp.server(), TestPki.shared().node(nodeA))) {
      a.create(csr(renewal, Certificates.newKeyPair(), "system:node:" + unique("node-b"), List.of("system:nodes")));
    }
    assertDenied(renewal, "NotSelf", "may renew only its own certificate");
  }
}
