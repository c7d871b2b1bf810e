package io.minik8s.controllermanager.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Lease;
import io.minik8s.api.LeaseSpec;
import io.minik8s.api.Node;
import io.minik8s.api.NodeCondition;
import io.minik8s.api.NodeStatus;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
import io.minik8s.api.Toleration;
import io.minik8s.client.api.Resources;
import io.minik8s.controllermanager.testing.FakeClient;
import io.minik8s.client.clock.FakeClock;
import io.minik8s.controllermanager.testing.FakeRecorder;
import io.minik8s.controllermanager.testing.TestObjects;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeLifecycleControllerTest {
  final FakeClock clock = new FakeClock();
  final FakeClient client = new FakeClient(clock);
  final FakeRecorder recorder = new FakeRecorder();
  final NodeLifecycleController controller = new NodeLifecycleController(client.lister(Resources.NODES),
      client.lister(Resources.LEASES), client.lister(Resources.PODS), client, recorder, clock, Duration.ofSeconds(40), 300);

  NodeLifecycleControllerTest() {
    client.seed(Node.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("n1"))
        .setStatus(NodeStatus.newBuilder().addConditions(NodeCondition.newBuilder().setType("Ready").setStatus("True"))).build());
    renew();
  }

  private void renew() {
    client.seed(Lease.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace("kube-node-lease").setName("n1"))
        .setSpec(LeaseSpec.newBuilder().setHolderIdentity("n1").setRenewTime(clock.instant().toString())).build());
  }

  private Node node() {
    return client.stored(Resources.NODES, "", "n1");
  }

  private Pod onNode(String name, Toleration... tolerations) {
    Pod p = TestObjects.pod(name, Map.of());
    p = p.toBuilder().setSpec(p.getSpec().toBuilder().setNodeName("n1").addAllTolerations(java.util.List.of(tolerations))).build();
    client.seed(p);
    return p;
  }

  private static Toleration unreachable(Long seconds) {
    Toleration.Builder t = Toleration.newBuilder().setKey(NodeLifecycleController.UNREACHABLE).setOperator("Exists").setEffect("NoExecute");
    if (seconds != null) {
      t.setTolerationSeconds(seconds);
    }
    return t.build();
  }

  @Test
  void aNodeWhoseLeaseIsRenewedStaysUntouched() {
    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofSeconds(10));
      renew();
      controller.sync("n1");
    }
    assertThat(client.actions).isEmpty();
  }

  @Test
  void aSilentNodeGetsReadyUnknownAndTheUnreachableTaintAfterTheGracePeriod() {
    controller.sync("n1");
    clock.advance(Duration.ofSeconds(40));
    controller.sync("n1");
    assertThat(client.actions).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    controller.sync("n1");
    NodeCondition ready = node().getStatus().getConditions(0);
    assertThat(ready.getStatus()).isEqualTo("Unknown");
    assertThat(ready.getReason()).isEqualTo("NodeStatusUnknown");
    assertThat(node().getSpec().getTaints(0).getKey()).isEqualTo("node.kubernetes.io/unreachable");
    assertThat(node().getSpec().getTaints(0).getEffect()).isEqualTo("NoExecute");
    assertThat(node().getSpec().getTaints(0).getTimeAdded()).isEqualTo("2026-01-01T00:00:41Z");
  }

  @Test
  void podsAreEvictedWhenTheirTolerationRunsOutAndNotBefore() {
    onNode("tolerates-60", unreachable(60L));
    onNode("default-300");
    onNode("forever", unreachable(null));
    controller.sync("n1");
    clock.advance(Duration.ofSeconds(41));
    controller.sync("n1"); // tainted at t=41
    assertThat(client.actions("delete")).isEmpty();
    clock.advance(Duration.ofSeconds(59));
    controller.sync("n1");
    assertThat(client.actions("delete")).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    controller.sync("n1");
    assertThat(client.actions("delete")).containsExactly("delete pods tolerates-60");
    clock.advance(Duration.ofSeconds(239));
    controller.sync("n1");
    assertThat(client.actions("delete")).hasSize(1);
    clock.advance(Duration.ofSeconds(1));
    controller.sync("n1");
    assertThat(client.actions("delete")).containsExactly("delete pods tolerates-60", "delete pods default-300");
    clock.advance(Duration.ofDays(1));
    controller.sync("n1");
    assertThat(client.actions("delete")).hasSize(2);
    assertThat(recorder.events).contains("Normal TaintManagerEviction: Marking for deletion Pod default/tolerates-60");
  }

  private Pod ready(Pod p, String status) {
    Pod withReady = p.toBuilder().setStatus(p.getStatus().toBuilder().setPhase("Running")
        .addConditions(PodCondition.newBuilder().setType("PodScheduled").setStatus("True"))
        .addConditions(PodCondition.newBuilder().setType("Ready").setStatus(status).setLastTransitionTime("2025-12-31T00:00:00Z"))).build();
    client.seed(withReady);
    return withReady;
  }

  private PodCondition readyOf(String pod) {
    return client.<Pod>stored(Resources.PODS, "default", pod).getStatus().getConditionsList().stream()
        .filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
  }

  @Test
  void theReadyPodsOfASilentNodeTurnNotReadyWhenItBecomesUnknownLongBeforeTheyAreEvicted() {
    ready(onNode("web"), "True");
    ready(onNode("starting"), "False");
    controller.sync("n1");
    clock.advance(Duration.ofSeconds(40));
    controller.sync("n1");
    assertThat(readyOf("web").getStatus()).as("within the grace period").isEqualTo("True");
    clock.advance(Duration.ofSeconds(1));
    controller.sync("n1");
    assertThat(readyOf("web").getStatus()).isEqualTo("False");
    assertThat(readyOf("web").getLastTransitionTime()).isEqualTo("2026-01-01T00:00:41Z");
    assertThat(client.<Pod>stored(Resources.PODS, "default", "web").getStatus().getConditions(0).getType())
        .as("the other conditions are kept").isEqualTo("PodScheduled");
    assertThat(readyOf("starting").getLastTransitionTime()).as("a pod already not ready is left alone").isEqualTo("2025-12-31T00:00:00Z");
    assertThat(recorder.events).filteredOn(e -> e.startsWith("Warning")).containsExactly("Warning NodeNotReady: Node is not ready");
    assertThat(client.actions("delete")).isEmpty();

    // Looked at again while still silent: nothing more to write.
    int writes = client.actions.size();
    clock.advance(Duration.ofSeconds(5));
    controller.sync("n1");
    assertThat(client.actions).hasSize(writes);
  }

  @Test
  void aPodBoundToASilentNodeAfterItWentUnknownIsMarkedAtTheNextLook() {
    controller.sync("n1");
    clock.advance(Duration.ofSeconds(41));
    controller.sync("n1");
    ready(onNode("late"), "True");
    controller.sync("n1");
    assertThat(readyOf("late").getStatus()).isEqualTo("False");
  }

  @Test
  void aRenewedLeaseRemovesTheTaint() {
    controller.sync("n1");
    clock.advance(Duration.ofSeconds(50));
    controller.sync("n1");
    assertThat(node().getSpec().getTaintsList()).hasSize(1);
    renew();
    controller.sync("n1");
    assertThat(node().getSpec().getTaintsList()).isEmpty();
  }

  @Test
  void tolerationsMatchAsKubernetesMatchesThem() {
    var taint = io.minik8s.api.Taint.newBuilder().setKey(NodeLifecycleController.UNREACHABLE).setEffect("NoExecute").build();
    assertThat(NodeLifecycleController.tolerates(Toleration.newBuilder().setOperator("Exists").build(), taint)).isTrue();
    assertThat(NodeLifecycleController.tolerates(unreachable(1L), taint)).isTrue();
    assertThat(NodeLifecycleController.tolerates(Toleration.newBuilder().setKey("other").setOperator("Exists").build(), taint)).isFalse();
    assertThat(NodeLifecycleController.tolerates(Toleration.newBuilder().setKey(NodeLifecycleController.UNREACHABLE)
        .setOperator("Exists").setEffect("NoSchedule").build(), taint)).isFalse();
  }
}
