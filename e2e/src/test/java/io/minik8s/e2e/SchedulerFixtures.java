package io.minik8s.e2e;

import io.minik8s.api.Container;
import io.minik8s.api.Event;
import io.minik8s.api.Node;
import io.minik8s.api.NodeCondition;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.OwnerReference;
import io.minik8s.api.Pod;
import io.minik8s.api.Taint;
import io.minik8s.api.Toleration;
import io.minik8s.api.ResourceRequirements;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Nodes and pods for the scheduler's end-to-end tests. Nodes are cluster-scoped and shared with
 * every other test, so each test labels its own nodes {@code e2e-scheduler=<test id>} and gives
 * its pods a nodeSelector on that label, and deletes its nodes at the end.
 */
final class SchedulerFixtures {
  static final String TEST_LABEL = "e2e-scheduler";
  private static final AtomicInteger counter = new AtomicInteger();

  final ApiClient client;
  final String id;
  final String namespace;
  private final List<String> nodes = new ArrayList<>();

  SchedulerFixtures(ApiClient client, String prefix) {
    this.client = client;
    this.id = prefix + "-" + System.currentTimeMillis() % 100000 + "-" + counter.incrementAndGet();
    this.namespace = Objects.freshNamespace(client, prefix);
  }

  /**
   * A Ready node carrying this test's label, with the given allocatable. It is also tainted
   * {@code e2e-scheduler=<id>:NoSchedule}, which only this test's pods tolerate: pending pods of
   * other tests sharing the cluster (a ReplicaSet's, say) must never take its room.
   */
  Node.Builder nodeSpec(String suffix, String cpu, String memory) {
    Node.Builder b = Node.newBuilder().setMetadata(ObjectMeta.newBuilder()
        .setName(id + "-" + suffix).putLabels(TEST_LABEL, id).putLabels("kubernetes.io/hostname", id + "-" + suffix));
    b.getSpecBuilder().addTaints(Taint.newBuilder().setKey(TEST_LABEL).setValue(id).setEffect("NoSchedule"));
    b.getStatusBuilder()
        .putCapacity("cpu", cpu).putCapacity("memory", memory).putCapacity("pods", "110")
        .putAllocatable("cpu", cpu).putAllocatable("memory", memory).putAllocatable("pods", "110")
        .addConditions(NodeCondition.newBuilder().setType("Ready").setStatus("True").setReason("KubeletReady"));
    return b;
  }

  Node createNode(Node.Builder b) {
    Node n = client.create(b.build());
    nodes.add(n.getMetadata().getName());
    return n;
  }

  Node createNode(String suffix, String cpu, String memory) {
    return createNode(nodeSpec(suffix, cpu, memory));
  }


  /** A pod requesting cpu and memory (either may be null), kept to this test's nodes. */
  Pod.Builder podSpec(String name, String cpu, String memory) {
    ResourceRequirements.Builder r = ResourceRequirements.newBuilder();
    if (cpu != null) {
      r.putRequests("cpu", cpu);
    }
    if (memory != null) {
      r.putRequests("memory", memory);
    }
    Pod.Builder b = Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace(namespace).setName(name));
    b.getSpecBuilder().putNodeSelector(TEST_LABEL, id)
        .addTolerations(Toleration.newBuilder().setKey(TEST_LABEL).setOperator("Equal").setValue(id).setEffect("NoSchedule"))
        .addContainers(Container.newBuilder().setName("app").setImage("busybox:1.36").setResources(r));
    return b;
  }

  static Pod.Builder ownedBy(Pod.Builder b, String kind, String uid) {
    b.getMetadataBuilder().addOwnerReferences(OwnerReference.newBuilder()
        .setApiVersion("apps/v1").setKind(kind).setName("owner").setUid(uid).setController(true));
    return b;
  }

  Pod createPod(Pod.Builder b) {
    return client.create(b.build());
  }

  Pod pod(String name) {
    return client.get(Resources.PODS, namespace, name);
  }

  List<Pod> pods() {
    return client.list(Resources.PODS, namespace, "");
  }

  /** The node each pod of the namespace is bound to, by pod name ("" when pending). */
  Map<String, String> placements() {
    Map<String, String> out = new HashMap<>();
    for (Pod p : pods()) {
      out.put(p.getMetadata().getName(), p.getSpec().getNodeName());
    }
    return out;
  }

  /** The newest event with this reason about the pod. */
  Optional<Event> event(String pod, String reason) {
    List<Event> events = client.list(Resources.EVENTS, namespace, "");
    return events.stream()
        .filter(e -> e.getInvolvedObject().getName().equals(pod) && e.getReason().equals(reason))
        .reduce((a, b) -> b);
  }

  /** How many nodes the whole (shared) cluster has now: the N of "0/N nodes are available". */
  int clusterNodeCount() {
    return client.list(Resources.NODES, "", "").size();
  }

  void deleteNodes() {
    for (String n : nodes) {
      try {
        client.delete(Resources.NODES, "", n);
      } catch (RuntimeException e) {
        // already gone
      }
    }
  }
}
