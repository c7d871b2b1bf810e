package io.minik8s.e2e;

import static io.minik8s.e2e.ControllerHarness.await;
import static io.minik8s.e2e.ControllerHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Lease;
import io.minik8s.api.LeaseSpec;
import io.minik8s.api.Node;
import io.minik8s.api.NodeCondition;
import io.minik8s.api.NodeStatus;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.Taint;
import io.minik8s.api.Toleration;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Node IPAM and node lifecycle against the real api-server. Nodes and their leases are made by
 * the test, standing in for kubelets only as far as registering and heartbeating go.
 */
class ControllerNodeTest {
  private static final String UNREACHABLE = "node.kubernetes.io/unreachable";

  private static String nodeName(String prefix) {
    return prefix + "-" + Long.toString(System.nanoTime(), 36);
  }

  private static Node register(ApiClient client, String name) {
    Node n = client.create(Node.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(name)).build());
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    // No resourceVersion: the IPAM controller may already have written the node's podCIDR.
    return client.updateStatus(n.toBuilder().setMetadata(n.getMetadata().toBuilder().clearResourceVersion())
        .setStatus(NodeStatus.newBuilder().addConditions(NodeCondition.newBuilder()
        .setType("Ready").setStatus("True").setReason("KubeletReady").setLastHeartbeatTime(now).setLastTransitionTime(now))).build());
  }

  private static Optional<String> podCidr(ApiClient client, String node) {
    Node n = client.get(Resources.NODES, "", node);
    return n.getSpec().getPodCidr().isEmpty() ? Optional.empty() : Optional.of(n.getSpec().getPodCidr());
  }

  @Test
  void nodeIpamGivesEachNodeItsOwnPodCidrAndRecoversThemAfterARestart() throws Exception {
    List<String> names = new ArrayList<>();
    List<String> cidrs = new ArrayList<>();
    try (ControllerHarness h = new ControllerHarness()) {
      for (int i = 0; i < 3; i++) {
        names.add(nodeName("ipam"));
        register(h.client, names.get(i));
      }
      for (String n : names) {
        cidrs.add(eventually(() -> podCidr(h.client, n), Optional::isPresent).get());
        Node node = h.get(Resources.NODES, "", n);
        assertThat(node.getSpec().getPodCidrsList()).containsExactly(node.getSpec().getPodCidr());
      }
    }
    // A new manager must not hand out what existing nodes hold, whatever its round-robin start.
    try (ControllerHarness h = new ControllerHarness()) {
      String late = nodeName("ipam-late");
      register(h.client, late);
      cidrs.add(eventually(() -> podCidr(h.client, late), Optional::isPresent).get());
      List<String> all = h.client.<Node>list(Resources.NODES, "", "").stream()
          .map(n -> n.getSpec().getPodCidr()).filter(c -> !c.isEmpty()).toList();
      assertThat(new HashSet<>(all)).hasSameSizeAs(all);
    }
    assertThat(cidrs).allMatch(c -> c.matches("10\\.244\\.\\d+\\.0/24"));
    assertThat(new HashSet<>(cidrs)).hasSize(4);
  }

  @Test
  void aSilentNodeBecomesUnknownAndTaintedItsPodsAreEvictedAfterTheirTolerationAndRecoveryUntaints() throws Exception {
    // Grace 8 s (renewals come every second: a wide margin on a busy machine), checked every 500 ms;
    // pods without a toleration of their own get 300 s.
    try (ControllerHarness h = new ControllerHarness(Duration.ofSeconds(8), Duration.ofMillis(500), 300)) {
      ApiClient client = h.client;
      String node = nodeName("silent");
      register(client, node);
      String ns = h.namespace("lifecycle");
      Pod shortLived = boundPod(ns, "tolerates-2s", node, Optional.of(2L));
      client.create(shortLived);
      client.create(boundPod(ns, "tolerates-forever", node, Optional.empty()));
      client.create(Objects.pod(ns, "default-toleration", Map.of()).toBuilder()
          .setSpec(Objects.pod(ns, "x", Map.of()).getSpec().toBuilder().setNodeName(node)).build());

      AtomicBoolean renewing = new AtomicBoolean(true);
      Thread heartbeat = Thread.ofVirtual().start(() -> renewLease(client, node, renewing));
      // The grace period passes with renewals, then the controller looks at every node again.
      Instant graceOver = Instant.now().plusSeconds(8);
      await().until(() -> Instant.now().isAfter(graceOver));
      awaitAnotherLookAtEveryNode(h);
      assertThat(taint(client, node)).as("a renewing node stays untainted").isEmpty();

      renewing.set(false);
      heartbeat.join();
      Taint taint = eventually(() -> taint(client, node), Optional::isPresent).get();
      assertThat(taint.getEffect()).isEqualTo("NoExecute");
      assertThat(taint.getTimeAdded()).isNotEmpty();
      NodeCondition ready = h.<Node>get(Resources.NODES, "", node).getStatus().getConditionsList().stream()
          .filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
      assertThat(ready.getStatus()).isEqualTo("Unknown");
      assertThat(ready.getReason()).isEqualTo("NodeStatusUnknown");

      // Bound to an existing node, an evicted pod turns Terminating (its kubelet would confirm).
      Pod evicted = eventually(() -> h.<Pod>get(Resources.PODS, ns, "tolerates-2s"), p -> !p.getMetadata().getDeletionTimestamp().isEmpty());
      Instant taintedAt = Instant.parse(taint.getTimeAdded());
      // Events are written by the recorder's own thread, after the deletion it reports.
      eventually(() -> h.events(ns), e -> e.contains("TaintManagerEviction: Marking for deletion Pod " + ns + "/tolerates-2s"));
      assertThat(Instant.now()).isAfterOrEqualTo(taintedAt.plusSeconds(2));
      awaitAnotherLookAtEveryNode(h);
      assertThat(h.<Pod>get(Resources.PODS, ns, "tolerates-forever").getMetadata().getDeletionTimestamp()).isEmpty();
      assertThat(h.<Pod>get(Resources.PODS, ns, "default-toleration").getMetadata().getDeletionTimestamp()).isEmpty();
      assertThat(evicted.getSpec().getNodeName()).isEqualTo(node);

      renewing.set(true);
      Thread again = Thread.ofVirtual().start(() -> renewLease(client, node, renewing));
      try {
        await().until(() -> taint(client, node).isEmpty());
      } finally {
        renewing.set(false);
        again.join();
      }
    }
  }

  /**
   * Waits until the node lifecycle controller has synced twice as many nodes as there are (plus
   * one in flight) since now: every --node-monitor-period it queues each node once, and its
   * queue holds a key at most once, so by then it has looked at each node at least once.
   */
  private static void awaitAnotherLookAtEveryNode(ControllerHarness h) {
    int nodes = h.client.list(Resources.NODES, "", "").size();
    h.awaitSyncs("nodelifecycle", 2 * nodes + 1, () -> {});
  }

  private static Pod boundPod(String ns, String name, String node, Optional<Long> seconds) {
    Pod p = Objects.pod(ns, name, Map.of());
    Toleration.Builder t = Toleration.newBuilder().setKey(UNREACHABLE).setOperator("Exists").setEffect("NoExecute");
    seconds.ifPresent(t::setTolerationSeconds);
    return p.toBuilder().setSpec(p.getSpec().toBuilder().setNodeName(node).addTolerations(t)).build();
  }

  private static Optional<Taint> taint(ApiClient client, String node) {
    Node n = client.get(Resources.NODES, "", node);
    return n.getSpec().getTaintsList().stream().filter(t -> t.getKey().equals(UNREACHABLE)).findFirst();
  }

  /** What a kubelet does every 10 s, here every second: renew its Lease in kube-node-lease. */
  private static void renewLease(ApiClient client, String node, AtomicBoolean renewing) {
    while (renewing.get()) {
      String now = Instant.now().truncatedTo(ChronoUnit.MICROS).toString();
      Optional<Lease> lease = client.find(Resources.LEASES, "kube-node-lease", node);
      try {
        if (lease.isEmpty()) {
          client.create(Lease.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace("kube-node-lease").setName(node))
              .setSpec(LeaseSpec.newBuilder().setHolderIdentity(node).setLeaseDurationSeconds(40).setRenewTime(now)).build());
        } else {
          client.update(lease.get().toBuilder().setSpec(lease.get().getSpec().toBuilder().setRenewTime(now)).build());
        }
      } catch (RuntimeException e) {
        // a conflict: the next round renews
      }
      ControllerReplicaSetTest.sleep(Duration.ofSeconds(1));
    }
  }
}
