package io.minik8s.controllermanager.namespace;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Container;
import io.minik8s.api.Namespace;
import io.minik8s.api.NamespaceSpec;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.Service;
import io.minik8s.client.api.Resources;
import io.minik8s.controllermanager.testing.FakeClient;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class NamespaceControllerTest {
  final FakeClient client = new FakeClient(Clock.systemUTC());
  final NamespaceController controller =
      new NamespaceController(client.lister(Resources.NAMESPACES), client, Clock.systemUTC(), Duration.ofSeconds(1));

  static Namespace namespace(String name, boolean terminating) {
    ObjectMeta.Builder m = ObjectMeta.newBuilder().setName(name);
    if (terminating) {
      m.setDeletionTimestamp("2026-01-01T00:00:00Z");
    }
    return Namespace.newBuilder().setMetadata(m).setSpec(NamespaceSpec.newBuilder().addFinalizers("kubernetes")).build();
  }

  static Pod pod(String ns, String name, boolean terminating) {
    ObjectMeta.Builder m = ObjectMeta.newBuilder().setNamespace(ns).setName(name);
    if (terminating) {
      m.setDeletionTimestamp("2026-01-01T00:00:30Z").setDeletionGracePeriodSeconds(30);
    }
    return Pod.newBuilder().setMetadata(m)
        .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("c").setImage("busybox"))).build();
  }

  @Test
  void doesNothingToANamespaceThatIsNotBeingDeleted() {
    client.seed(namespace("team", false), pod("team", "a", false));

    controller.sync("team");

    assertThat(client.actions).isEmpty();
  }

  @Test
  void deletesEverythingInATerminatingNamespaceAndWaitsForWhatIsStillGoing() {
    client.seed(namespace("team", true), pod("team", "a", false), pod("team", "b", true),
        Service.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace("team").setName("svc")).build(),
        pod("other", "c", false));

    controller.sync("team");

    assertThat(client.actions).containsExactlyInAnyOrder("delete pods a", "delete services svc");
    assertThat(client.<Namespace>stored(Resources.NAMESPACES, "", "team").getSpec().getFinalizersList())
        .as("pod b is still terminating").containsExactly("kubernetes");
    assertThat(client.<Pod>stored(Resources.PODS, "other", "c")).isNotNull();
  }

  @Test
  void takesItsFinalizerOffOnceTheNamespaceIsEmpty() {
    Namespace ns = namespace("team", true);
    client.seed(ns.toBuilder().setSpec(ns.getSpec().toBuilder().addFinalizers("example.com/other")).build());

    controller.sync("team");

    assertThat(client.actions).containsExactly("update namespaces team");
    assertThat(client.<Namespace>stored(Resources.NAMESPACES, "", "team").getSpec().getFinalizersList())
        .containsExactly("example.com/other");
  }
}
