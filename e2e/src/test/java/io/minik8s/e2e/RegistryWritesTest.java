package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.api.DeleteRequest;
import io.minik8s.api.Node;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.Service;
import io.minik8s.apiserver.ApiServer;
import io.minik8s.apiserver.storage.EtcdStore;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Writes that used to leave the store inconsistent or the api-server in trouble, on real etcd. */
@Timeout(120)
class RegistryWritesTest {
  static ControlPlane cp;
  static ApiClient client;

  @BeforeAll
  static void start() {
    cp = ControlPlane.shared();
    client = cp.client;
  }

  @Test
  void aHugeDottedNameIsRefusedAsInvalidWithAStatusThatFitsTheTrailer() {
    String ns = Objects.freshNamespace(client, "hostile");
    String name = "a.".repeat(150_000) + "a";

    assertThatThrownBy(() -> client.create(Objects.pod(ns, name, Map.of())))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("metadata.name").contains("must be no more than 253 characters");
        });
    // And the api-server still answers.
    assertThat(client.list(Resources.PODS, ns, "")).isEmpty();
  }

  @Test
  void aPodWithAGracePeriodNearLongMaxCanStillBeDeleted() {
    String ns = Objects.freshNamespace(client, "grace");
    String node = "grace-node-" + System.nanoTime() % 100000;
    client.create(Node.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(node)).build());
    Pod.Builder p = Objects.pod(ns, "p", Map.of()).toBuilder();
    p.getSpecBuilder().setNodeName(node).setTerminationGracePeriodSeconds(Long.MAX_VALUE - 1);
    client.create(p.build());
    DeleteRequest delete = DeleteRequest.newBuilder().setResource("pods").setNamespace(ns).setName("p").build();

    client.delete(delete);
    client.delete(delete.toBuilder().setGracePeriodSeconds(Long.MAX_VALUE).build());
    Pod marked = client.get(Resources.PODS, ns, "p");
    assertThat(marked.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(Long.MAX_VALUE / 1_000_000_000L);

    assertThat(client.delete(delete.toBuilder().setGracePeriodSeconds(0).build()).getRemoved()).isTrue();
    client.delete(Resources.NODES, "", node);
  }

  @Test
  void theRepairLoopTakesBackAMissingNodePortAndReleasesALeakedOne() throws Exception {
    String ns = Objects.freshNamespace(client, "repair");
    Service svc = client.create(ServiceAllocationTest.svc(ns, "web", "NodePort", "", 0));
    String port = Integer.toString(svc.getSpec().getPorts(0).getNodePort());
    String portKey = "/registry/ranges/servicenodeports/" + port;
    String leakKey = "/registry/ranges/serviceips/10.111.255.200";
    ApiServer repairing = null;
    try (EtcdStore etcd = new EtcdStore(cp.etcd.endpoints(), Duration.ofSeconds(10), cp.etcd.clientTls())) {
      etcd.delete(portKey, etcd.get(portKey).orElseThrow().modRevision()); // lost, as by a crash
      etcd.create(leakKey, new byte[0]);                                    // leaked, as by a failed create

      repairing = ApiServer.start(ControlPlane.config(cp.etcd).withServiceAllocatorRepairInterval(Duration.ofMillis(300)));

      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> etcd.get(portKey).isPresent() && etcd.get(leakKey).isEmpty());
      HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + repairing.healthPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.body().lines().filter(l -> l.startsWith("apiserver_service_allocator_repairs_total")
          && !l.endsWith(" 0.0"))).anyMatch(l -> l.contains("action=\"retaken\"") && l.contains("range=\"nodeport\""))
          .anyMatch(l -> l.contains("action=\"released\"") && l.contains("range=\"clusterip\""));
    } finally {
      if (repairing != null) {
        repairing.close();
      }
      Objects.deleteNamespace(client, ns);
    }
  }
}
