package io.minik8s.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minik8s.api.ApiGrpc;
import io.minik8s.api.GetRequest;
import io.minik8s.api.Namespace;
import io.minik8s.api.Object;
import io.minik8s.api.ObjectMeta;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.pki.ClusterPki;
import io.minik8s.client.tls.ClientTls;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The api-server's authentication over real mutual TLS, with a service that answers who it saw. */
@Timeout(60)
class AuthenticationInterceptorTest {
  @TempDir Path dir;
  ClusterPki pki;
  Server server;
  final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  /** Get answers with a Namespace named after the caller, its groups as labels. */
  static final class WhoAmI extends ApiGrpc.ApiImplBase {
    @Override
    public void get(GetRequest request, StreamObserver<Object> out) {
      UserInfo u = UserInfo.current().orElseThrow();
      ObjectMeta.Builder meta = ObjectMeta.newBuilder().setName(u.name());
      for (int i = 0; i < u.groups().size(); i++) {
        meta.putLabels("group-" + i, u.groups().get(i));
      }
      out.onNext(KubeObjects.wrap(Namespace.newBuilder().setMetadata(meta).build()));
      out.onCompleted();
    }
  }

  @BeforeEach
  void start() throws Exception {
    pki = new ClusterPki(dir, Clock.systemUTC(), l -> { });
    pki.init(List.of());
  }

  void serve(List<Authenticator> authenticators, boolean tls) throws Exception {
    NettyServerBuilder b = NettyServerBuilder.forPort(0)
        .addService(ServerInterceptors.intercept(new WhoAmI(), new AuthenticationInterceptor(authenticators, metrics)));
    if (tls) {
      b.sslContext(pki.apiServerTls().sslContext(false));
    }
    server = b.build().start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.shutdownNow();
    }
  }

  ObjectMeta whoAmI(ClientTls tls) {
    try (ApiClient c = ApiClient.connect("127.0.0.1:" + server.getPort(), tls)) {
      return ((Namespace) KubeObjects.unwrap(c.blocking().get(GetRequest.getDefaultInstance()))).getMetadata();
    }
  }

  @Test
  void theClientCertificateNamesTheUserAndItsGroups() throws Exception {
    serve(List.of(new X509Authenticator()), true);
    ObjectMeta admin = whoAmI(pki.clientTls(ClusterPki.ADMIN));
    assertThat(admin.getName()).isEqualTo("kubernetes-admin");
    assertThat(admin.getLabelsMap().values()).containsExactlyInAnyOrder("system:masters", "system:authenticated");
    pki.node("node-1", List.of("127.0.0.1"));
    ObjectMeta node = whoAmI(pki.clientTls(ClusterPki.nodeFile("node-1")));
    assertThat(node.getName()).isEqualTo("system:node:node-1");
    assertThat(node.getLabelsMap().values()).containsExactlyInAnyOrder("system:nodes", "system:authenticated");
  }

  @Test
  void aCallNoAuthenticatorKnowsIsUnauthorizedAndCounted() throws Exception {
    serve(List.of(new X509Authenticator()), true);
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> whoAmI(ClientTls.serverOnly(pki.caFile())));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(e.getStatus().getDescription()).isEqualTo("Unauthorized");
    assertThat(metrics.counter("apiserver_authentication_failures_total").count()).isEqualTo(1);
  }

  @Test
  void authenticatorsAreTriedInOrderAndTheFirstThatKnowsTheCallerWins() throws Exception {
    Authenticator token = (call, headers) -> "secret".equals(headers.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER)))
        ? Optional.of(new UserInfo("alice", List.of("dev"))) : Optional.empty();
    serve(List.of(new X509Authenticator(), token), true);
    assertThat(whoAmI(pki.clientTls(ClusterPki.SCHEDULER)).getName()).isEqualTo("system:kube-scheduler");
    try (ApiClient c = ApiClient.connect("127.0.0.1:" + server.getPort(), ClientTls.serverOnly(pki.caFile()))) {
      Metadata h = new Metadata();
      h.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "secret");
      Object o = c.blocking().withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(h))
          .get(GetRequest.getDefaultInstance());
      assertThat(((Namespace) KubeObjects.unwrap(o)).getMetadata().getName()).isEqualTo("alice");
    }
  }

  @Test
  void inPlainTextEveryoneIsASuperuser() throws Exception {
    serve(List.of(new InsecureAuthenticator()), false);
    ObjectMeta anyone = whoAmI(ClientTls.plaintext());
    assertThat(anyone.getName()).isEqualTo("system:unsecured");
    assertThat(anyone.getLabelsMap().values()).contains("system:masters");
  }
}
