package io.minik8s.controllermanager.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.minik8s.api.CertificateSigningRequest;
import io.minik8s.api.ObjectMeta;
import io.minik8s.client.pki.CertificateRequests;
import io.minik8s.client.pki.Certificates;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CsrApproverTest {
  private static final List<String> BOOTSTRAP = List.of("system:bootstrappers", "system:authenticated");
  private static final List<String> NODE = List.of("system:nodes", "system:authenticated");
  private final KeyPair keys = Certificates.newKeyPair();

  private CertificateSigningRequest csr(String name, String cn, List<String> orgs, String user, List<String> groups,
      List<String> usages) {
    return CertificateSigningRequest.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(name))
        .setSpec(io.minik8s.api.CertificateSigningRequestSpec.newBuilder()
            .setRequest(ByteString.copyFrom(CertificateRequests.create(keys, cn, orgs)))
            .setSignerName(CsrApprover.KUBELET_SIGNER).addAllUsages(usages)
            .setUsername(user).addAllGroups(groups)).build();
  }

  private CertificateSigningRequest join(String cn, List<String> orgs) {
    return csr("csr-1", cn, orgs, "system:bootstrap:abcdef", BOOTSTRAP, List.of("digital signature", "client auth"));
  }

  @Test
  void aBootstrapTokenJoiningAsANodeIsApproved() {
    var d = CsrApprover.decide(join("system:node:n1", List.of("system:nodes")), List.of());
    assertThat(d).hasValueSatisfying(x -> assertThat(x.approve()).isTrue());
  }

  @Test
  void aNodeRenewingItsOwnCertificateIsApproved() {
    var c = csr("r", "system:node:n1", List.of("system:nodes"), "system:node:n1", NODE, List.of("client auth"));
    assertThat(CsrApprover.decide(c, List.of())).hasValueSatisfying(x -> assertThat(x.approve()).isTrue());
  }

  @Test
  void hostileRequestsAreDeniedWithTheirReason() {
    record Row(CertificateSigningRequest csr, String reason, String inMessage) {}
    CertificateSigningRequest issued = join("system:node:n1", List.of("system:nodes")).toBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName("csr-0")).build();
    issued = issued.toBuilder().setStatus(issued.getStatus().toBuilder()
        .setCertificate(ByteString.copyFromUtf8("-----BEGIN CERTIFICATE-----"))).build();
    List<Row> rows = List.of(
        new Row(join("system:node:n1", List.of("system:masters")), "NotNodeGroup", "[system:masters]"),
        new Row(join("system:node:n1", List.of("system:nodes", "system:masters")), "NotNodeGroup", "system:masters"),
        new Row(join("kubernetes-admin", List.of("system:nodes")), "NotNodeName", "kubernetes-admin"),
        new Row(join("system:node:", List.of("system:nodes")), "NotNodeName", "system:node:"),
        new Row(csr("x", "system:node:n1", List.of("system:nodes"), "system:bootstrap:abcdef", BOOTSTRAP,
            List.of("client auth", "server auth")), "BadUsages", "server auth"),
        new Row(csr("x", "system:node:n2", List.of("system:nodes"), "system:node:n1", NODE, List.of("client auth")),
            "NotSelf", "system:node:n2"));
    for (Row row : rows) {
      var d = CsrApprover.decide(row.csr(), List.of());
      assertThat(d).as(row.reason()).hasValueSatisfying(x -> {
        assertThat(x.approve()).isFalse();
        assertThat(x.reason()).isEqualTo(row.reason());
        assertThat(x.message()).contains(row.inMessage());
      });
    }
    var replay = CsrApprover.decide(join("system:node:n1", List.of("system:nodes")), List.of(issued));
    assertThat(replay).hasValueSatisfying(x -> {
      assertThat(x.approve()).isFalse();
      assertThat(x.reason()).isEqualTo("Replayed");
      assertThat(x.message()).contains("csr-0");
    });
  }

  @Test
  void requestsOfOtherSignersOrOtherRequestersAreLeftForAPerson() {
    var admin = csr("a", "system:node:n1", List.of("system:nodes"), "kubernetes-admin", List.of("system:masters"),
        List.of("client auth"));
    assertThat(CsrApprover.decide(admin, List.of())).isEmpty();
    var other = join("system:node:n1", List.of("system:nodes")).toBuilder();
    other.getSpecBuilder().setSignerName("example.com/other");
    assertThat(CsrApprover.decide(other.build(), List.of())).isEmpty();
  }

  @Test
  void conditionsAreRead() {
    var c = CsrConditions.with(join("system:node:n1", List.of("system:nodes")), "Denied", "r", "m", Instant.EPOCH);
    assertThat(CsrConditions.denied(c)).isTrue();
    assertThat(CsrConditions.approved(c)).isFalse();
  }
}
