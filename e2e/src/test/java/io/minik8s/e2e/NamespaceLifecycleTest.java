package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.api.Namespace;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Service;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A deleted namespace turns Terminating, refuses new content, is emptied by the namespace
 * controller, and goes once its finalizers are gone (Kubernetes' namespace lifecycle).
 */
@Timeout(180)
class NamespaceLifecycleTest {
  static ControllerHarness h;
  static ApiClient client;

  @BeforeAll
  static void start() throws Exception {
    h = new ControllerHarness();
    client = h.client;
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  static Namespace namespace(String name, String... finalizers) {
    return Namespace.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName(name).addAllFinalizers(java.util.List.of(finalizers))).build();
  }

  void fill(String ns) {
    client.create(Objects.pod(ns, "loose", Map.of("app", "loose")));
    client.create(Objects.replicaSet(ns, "rs", 2));
    client.create(ServiceAllocationTest.svc(ns, "np", "NodePort", "", 0));
  }

  @Test
  void mkctlDeleteNamespaceTakesEverythingInItAlong() {
    String ns = h.namespace("ns-gone");
    fill(ns);
    h.await().until(() -> h.pods(ns, "app=rs").size() == 2);
    int nodePort = client.<Service>get(Resources.SERVICES, ns, "np").getSpec().getPorts(0).getNodePort();

    Mkctl.Result deleted = Mkctl.run(h.cp.server(), "delete", "namespace", ns);

    assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
    assertThat(deleted.out()).contains("namespace \"" + ns + "\" deleted");
    h.await().until(() -> client.find(Resources.NAMESPACES, "", ns).isEmpty());
    for (var type : Resources.ALL) {
      if (type.namespaced()) {
        assertThat(client.list(type, ns, "")).as(type.resource() + " left in " + ns).isEmpty();
      }
    }
    // The node port went back with the Service.
    String other = h.namespace("ns-port");
    client.create(ServiceAllocationTest.svc(other, "again", "NodePort", "", nodePort));
    client.delete(Resources.SERVICES, other, "again");
  }

  @Test
  void aNamespaceHeldByAFinalizerIsEmptiedRefusesContentAndGoesWhenTheFinalizerIs() {
    String ns = "ns-held-" + System.nanoTime() % 100000;
    client.create(namespace(ns, "example.com/hold"));
    fill(ns);
    h.await().until(() -> h.pods(ns, "app=rs").size() == 2);

    client.delete(Resources.NAMESPACES, "", ns);

    Namespace terminating = client.get(Resources.NAMESPACES, "", ns);
    assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotEmpty();
    assertThat(terminating.getStatus().getPhase()).isEqualTo("Terminating");
    assertThatThrownBy(() -> client.create(Objects.pod(ns, "late", Map.of())))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
          assertThat(e.getStatus().getDescription()).isEqualTo("pods \"late\" is forbidden: "
              + "unable to create new content in namespace " + ns + " because it is being terminated");
        });
    // The controller empties it and takes off its own spec finalizer; the user's finalizer holds it.
    h.await().until(() -> client.<Namespace>get(Resources.NAMESPACES, "", ns).getSpec().getFinalizersCount() == 0);
    for (var type : Resources.ALL) {
      if (type.namespaced()) {
        assertThat(client.list(type, ns, "")).as(type.resource() + " left in " + ns).isEmpty();
      }
    }
    assertThat(client.find(Resources.NAMESPACES, "", ns)).isPresent();

    Namespace held = client.get(Resources.NAMESPACES, "", ns);
    client.update(held.toBuilder().setMetadata(held.getMetadata().toBuilder().clearFinalizers()).build());

    h.await().until(() -> client.find(Resources.NAMESPACES, "", ns).isEmpty());
    assertThat(client.list(Resources.PODS, ns, "")).isEmpty();
  }
}
