package io.minik8s.e2e;

import static io.minik8s.e2e.KubeletFixture.sh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.minik8s.api.ExecOutput;
import io.minik8s.api.KubeletGrpc;
import io.minik8s.api.Namespace;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.PodExecRequest;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import io.minik8s.client.pki.Certificates;
import io.minik8s.client.pki.ClusterPki;
import io.minik8s.client.pki.Credential;
import io.minik8s.client.pki.LeafSpec;
import io.minik8s.client.pki.PemFiles;
import io.minik8s.client.tls.ClientTls;
import io.minik8s.kubelet.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Strangers at every port this PKI secures: the api-server's gRPC port and a kubelet's logs/exec
 * port. Each caller is refused, with Kubernetes' "Unauthorized" where the connection gets as far
 * as a call, and nothing it asked for happens: no namespace is created, no command runs in the pod.
 */
@Timeout(180)
class HostileClientsTest {
  static KubeletFixture f;
  static Path hostile;
  static String podContainer;

  /** The callers that must be refused, and how each one's credentials are made. */
  enum Stranger {
    NO_CERTIFICATE,           // TLS trusting the cluster CA, but no client certificate
    PLAIN_TEXT,               // no TLS at all
    CERTIFICATE_OF_ANOTHER_CA, // a system:masters certificate from a CA the cluster never trusted
    EXPIRED_CERTIFICATE       // a system:masters certificate of the right CA, expired yesterday
  }

  @BeforeAll
  static void start() throws Exception {
    f = new KubeletFixture("hostile").start();
    hostile = Files.createTempDirectory("minik8s-hostile-");
    // another cluster's PKI: its admin is a superuser there, a stranger here
    new ClusterPki(hostile.resolve("other"), Clock.systemUTC(), l -> { }).init(List.of());
    ClusterPki ours = TestPki.shared().pki;
    Credential ca = PemFiles.read(ours.dir(), ClusterPki.CA);
    Instant twoYearsAgo = Instant.now().minus(Duration.ofDays(730));
    PemFiles.write(hostile, "expired", Certificates.issue(ca, LeafSpec.client("kubernetes-admin", "system:masters"),
        twoYearsAgo, Duration.ofDays(365)));
    f.create(KubeletFixture.pod("target", "Always", sh("main", "exec sleep 3600")));
    f.await("target", Duration.ofSeconds(90), KubeletFixture::running);
    podContainer = KubeletFixture.docker("ps", "-q", "--no-trunc", "--filter", "label=" + Labels.NODE + "=" + f.node,
        "--filter", "label=" + Labels.CONTAINER_NAME + "=main").strip();
  }

  @AfterAll
  static void stop() throws Exception {
    if (f != null) {
      f.close();
    }
  }

  static ClientTls credentials(Stranger s) {
    Path ca = TestPki.shared().ca();
    return switch (s) {
      case NO_CERTIFICATE -> ClientTls.serverOnly(ca);
      case PLAIN_TEXT -> ClientTls.plaintext();
      case CERTIFICATE_OF_ANOTHER_CA -> ClientTls.mutual(ca, PemFiles.certFile(hostile.resolve("other"), ClusterPki.ADMIN),
          PemFiles.keyFile(hostile.resolve("other"), ClusterPki.ADMIN));
      case EXPIRED_CERTIFICATE -> ClientTls.mutual(ca, PemFiles.certFile(hostile, "expired"), PemFiles.keyFile(hostile, "expired"));
    };
  }

  @ParameterizedTest
  @EnumSource(Stranger.class)
  void theApiServerRefusesAStrangerAndStoresNothing(Stranger s) {
    String name = "hostile-" + s.name().toLowerCase().replace('_', '-');
    StatusRuntimeException e;
    try (ApiClient stranger = ApiClient.connect(f.cp.server(), credentials(s))) {
      e = catchThrowableOfType(StatusRuntimeException.class, () -> stranger.blocking(10, TimeUnit.SECONDS).create(
          io.minik8s.api.CreateRequest.newBuilder().setObject(io.minik8s.client.api.KubeObjects.wrap(
              Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(name)).build())).build()));
    }
    assertThat(e).as(s + " must be refused").isNotNull();
    if (s == Stranger.NO_CERTIFICATE) {
      // the connection is fine, the call names no one: Kubernetes' 401
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(e.getStatus().getDescription()).isEqualTo("Unauthorized");
    } else {
      // the TLS handshake fails (unknown CA, expired, or no TLS at all): no call is ever made
      assertThat(e.getStatus().getCode()).as(e.toString()).isEqualTo(Status.Code.UNAVAILABLE);
    }
    assertThat(f.client.find(Resources.NAMESPACES, "", name)).as("nothing was stored").isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Stranger.class)
  void theKubeletRefusesAStrangerAndRunsNothing(Stranger s) throws Exception {
    StatusRuntimeException e = execOnTheKubelet(credentials(s), "/tmp/by-" + s.name());
    assertThat(e).as(s + " must be refused").isNotNull();
    // the kubelet requires a certificate: the handshake itself fails for each of them
    assertThat(e.getStatus().getCode()).as(e.toString()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(f.exec(podContainer, "ls", "/tmp")).as("no command ran").doesNotContain("by-" + s.name());
  }

  @org.junit.jupiter.api.Test
  void theKubeletRefusesAnotherNodeButServesTheApiServer() throws Exception {
    StatusRuntimeException e = execOnTheKubelet(TestPki.shared().node("some-other-node"), "/tmp/by-node");
    assertThat(e).isNotNull();
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(e.getStatus().getDescription()).contains("api-server only");
    assertThat(f.exec(podContainer, "ls", "/tmp")).doesNotContain("by-node");
    // the control: the api-server's own kubelet-client certificate gets through, and the command runs
    assertThat(execOnTheKubelet(TestPki.shared().kubeletClient(), "/tmp/by-api-server")).isNull();
    assertThat(f.exec(podContainer, "ls", "/tmp")).contains("by-api-server");
  }

  /** Runs {@code touch FILE} in the pod straight at the kubelet's port; the refusal, or null when it ran. */
  private static StatusRuntimeException execOnTheKubelet(ClientTls tls, String file) throws InterruptedException {
    NettyChannelBuilder b = NettyChannelBuilder.forAddress("127.0.0.1", f.kubelet.port());
    tls.sslContext().ifPresentOrElse(b::sslContext, b::usePlaintext);
    ManagedChannel channel = b.build();
    try {
      Supplier<Iterator<ExecOutput>> call = () -> KubeletGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .exec(PodExecRequest.newBuilder().setNamespace(f.namespace).setName("target").addCommand("touch").addCommand(file).build());
      try {
        call.get().forEachRemaining(o -> { });
        return null;
      } catch (StatusRuntimeException e) {
        return e;
      }
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
