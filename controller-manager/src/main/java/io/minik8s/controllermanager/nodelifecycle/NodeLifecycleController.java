package io.minik8s.controllermanager.nodelifecycle;

import io.minik8s.api.Lease;
import io.minik8s.api.Node;
import io.minik8s.api.NodeCondition;
import io.minik8s.api.NodeStatus;
import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
import io.minik8s.api.Taint;
import io.minik8s.api.Toleration;
import io.minik8s.client.api.Resources;
import io.minik8s.controllermanager.controller.BaseController;
import io.minik8s.controllermanager.controller.ControllerClient;
import io.minik8s.controllermanager.controller.Errors;
import io.minik8s.controllermanager.controller.Lister;
import io.minik8s.controllermanager.controller.Pods;
import io.minik8s.controllermanager.controller.Recorder;
import io.minik8s.controllermanager.controller.Times;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches that each node's kubelet is alive: its Lease in {@code kube-node-lease} must be renewed
 * within --node-monitor-grace-period, as observed on this controller's own clock. A silent node
 * gets Ready=Unknown and the {@code node.kubernetes.io/unreachable:NoExecute} taint, its pods'
 * Ready condition turns False at once (Kubernetes' MarkPodsNotReady, in
 * pkg/controller/util/node/controller_utils.go: the endpoints controller then takes them out of
 * their Services' ready addresses, instead of clients failing over them until the pods are
 * evicted), and they are evicted (deleted) once they stop tolerating the taint. A renewed lease
 * removes the taint; the node's kubelet sets its pods' Ready condition again.
 *
 * <p>Mirrors Kubernetes' pkg/controller/nodelifecycle/node_lifecycle_controller.go.
 */
public final class NodeLifecycleController extends BaseController {
  public static final String NODE_LEASE_NAMESPACE = "kube-node-lease";
  public static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  public static final String PODS_BY_NODE = "nodeName";

  private record Probe(String renewTime, Instant observedAt) {}

  private final Lister<Node> nodes;
  private final Lister<Lease> leases;
  private final Lister<Pod> pods;
  private final ControllerClient client;
  private final Recorder recorder;
  private final Duration gracePeriod;
  private final long defaultTolerationSeconds;
  private final Map<String, Probe> probes = new ConcurrentHashMap<>();

  public NodeLifecycleController(Lister<Node> nodes, Lister<Lease> leases, Lister<Pod> pods, ControllerClient client,
      Recorder recorder, Clock clock, Duration gracePeriod, long defaultTolerationSeconds) {
    super("nodelifecycle", clock);
    this.nodes = nodes;
    this.leases = leases;
    this.pods = pods;
    this.client = client;
    this.recorder = recorder;
    this.gracePeriod = gracePeriod;
    this.defaultTolerationSeconds = defaultTolerationSeconds;
  }

  /** Kubernetes' monitorNodeHealth runs every --node-monitor-period: each node is looked at in turn. */
  public void monitor() {
    nodes.list("").forEach(n -> enqueue(n.getMetadata().getName()));
  }

  @Override
  public void sync(String name) {
    Optional<Node> found = nodes.get("", name);
    if (found.isEmpty()) {
      probes.remove(name);
      return;
    }
    Node node = found.get();
    Instant now = clock.instant();
    String renew = leases.get(NODE_LEASE_NAMESPACE, name).map(l -> l.getSpec().getRenewTime()).orElse("");
    Probe probe = probes.get(name);
    if (probe == null || !probe.renewTime().equals(renew)) {
      probe = new Probe(renew, now);
      probes.put(name, probe);
    }
    boolean silent = now.isAfter(probe.observedAt().plus(gracePeriod));
    Optional<Taint> taint = unreachableTaint(node);
    if (silent) {
      node = markUnknown(node, now);
      if (taint.isEmpty()) {
        Taint t = Taint.newBuilder().setKey(UNREACHABLE).setEffect("NoExecute").setTimeAdded(Times.format(now)).build();
        node = client.update(node.toBuilder().setSpec(node.getSpec().toBuilder().addTaints(t)).build());
        taint = Optional.of(t);
      }
      markPodsNotReady(node, now);
      evictPods(node, taint.get(), now);
    } else if (taint.isPresent()) {
      List<Taint> kept = node.getSpec().getTaintsList().stream().filter(t -> !isUnreachable(t)).toList();
      client.update(node.toBuilder().setSpec(node.getSpec().toBuilder().clearTaints().addAllTaints(kept)).build());
      recorder.event(node, Recorder.NORMAL, "NodeReachable", "Node " + name + " renewed its lease: taint " + UNREACHABLE + " removed");
    }
  }

  private Node markUnknown(Node node, Instant now) {
    NodeStatus.Builder status = node.getStatus().toBuilder();
    Optional<NodeCondition> ready = node.getStatus().getConditionsList().stream()
        .filter(c -> c.getType().equals("Ready")).findFirst();
    if (ready.isPresent() && ready.get().getStatus().equals("Unknown")) {
      return node;
    }
    NodeCondition unknown = NodeCondition.newBuilder().setType("Ready").setStatus("Unknown")
        .setReason("NodeStatusUnknown").setMessage("Kubelet stopped posting node status.")
        .setLastHeartbeatTime(ready.map(NodeCondition::getLastHeartbeatTime).orElse(""))
        .setLastTransitionTime(Times.format(now)).build();
    List<NodeCondition> others = node.getStatus().getConditionsList().stream()
        .filter(c -> !c.getType().equals("Ready")).toList();
    status.clearConditions().addAllConditions(others).addConditions(unknown);
    Node updated = client.updateStatus(node.toBuilder().setStatus(status).build());
    recorder.event(node, Recorder.NORMAL, "NodeNotReady", "Node " + node.getMetadata().getName() + " status is now: NodeNotReady");
    return updated;
  }

  /**
   * Sets Ready=False on every pod of the node that is Ready=True, with a NodeNotReady Event. Run
   * at every look at a silent node, so a pod bound to it later, or one whose update failed, is
   * marked the next time.
   */
  private void markPodsNotReady(Node node, Instant now) {
    String name = node.getMetadata().getName();
    for (Pod pod : pods.byIndex(PODS_BY_NODE, name)) {
      int ready = readyCondition(pod);
      if (!pod.getSpec().getNodeName().equals(name) || ready < 0
          || !pod.getStatus().getConditions(ready).getStatus().equals("True")) {
        continue;
      }
      PodCondition notReady = pod.getStatus().getConditions(ready).toBuilder().setStatus("False")
          .setLastTransitionTime(Times.format(now)).build();
      try {
        client.updateStatus(pod.toBuilder().setStatus(pod.getStatus().toBuilder().setConditions(ready, notReady)).build());
      } catch (RuntimeException e) {
        if (Errors.isNotFound(e)) {
          continue;
        }
        throw e;
      }
      recorder.event(pod, Recorder.WARNING, "NodeNotReady", "Node is not ready");
    }
  }

  private static int readyCondition(Pod pod) {
    List<PodCondition> conditions = pod.getStatus().getConditionsList();
    for (int i = 0; i < conditions.size(); i++) {
      if (conditions.get(i).getType().equals("Ready")) {
        return i;
      }
    }
    return -1;
  }

  /** Deletes the node's pods whose toleration of the taint has run out; looks again when the next one will. */
  private void evictPods(Node node, Taint taint, Instant now) {
    Instant added = Times.parse(taint.getTimeAdded()).orElse(now);
    Duration nextCheck = null;
    for (Pod pod : pods.byIndex(PODS_BY_NODE, node.getMetadata().getName())) {
      if (Pods.isTerminating(pod)) {
        continue;
      }
      OptionalLong seconds = tolerationSeconds(pod, taint);
      if (seconds.isEmpty()) {
        continue; // tolerates the taint forever
      }
      Instant deadline = added.plusSeconds(Math.max(0, seconds.getAsLong()));
      if (now.isBefore(deadline)) {
        Duration wait = Duration.between(now, deadline);
        nextCheck = nextCheck == null || wait.compareTo(nextCheck) < 0 ? wait : nextCheck;
        continue;
      }
      try {
        client.delete(Resources.PODS, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), "",
            pod.getMetadata().getUid());
        recorder.event(pod, Recorder.NORMAL, "TaintManagerEviction",
            "Marking for deletion Pod " + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName());
      } catch (RuntimeException e) {
        if (!Errors.isNotFound(e)) {
          throw e;
        }
      }
    }
    if (nextCheck != null) {
      enqueueAfter(node.getMetadata().getName(), nextCheck.plusMillis(100));
    }
  }

  /**
   * How long the pod tolerates the taint: the smallest tolerationSeconds of its matching
   * tolerations, empty for forever. A pod with no matching toleration gets the default, as if
   * Kubernetes' DefaultTolerationSeconds admission had added one (our api-server does not).
   */
  OptionalLong tolerationSeconds(Pod pod, Taint taint) {
    List<Toleration> matching = pod.getSpec().getTolerationsList().stream().filter(t -> tolerates(t, taint)).toList();
    if (matching.isEmpty()) {
      return OptionalLong.of(defaultTolerationSeconds);
    }
    if (matching.stream().anyMatch(t -> !t.hasTolerationSeconds())) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(matching.stream().mapToLong(Toleration::getTolerationSeconds).min().orElse(0));
  }

  static boolean tolerates(Toleration t, Taint taint) {
    if (!t.getEffect().isEmpty() && !t.getEffect().equals(taint.getEffect())) {
      return false;
    }
    if (t.getKey().isEmpty()) {
      return t.getOperator().equals("Exists");
    }
    if (!t.getKey().equals(taint.getKey())) {
      return false;
    }
    return t.getOperator().equals("Exists") || t.getValue().equals(taint.getValue());
  }

  private static boolean isUnreachable(Taint t) {
    return t.getKey().equals(UNREACHABLE) && t.getEffect().equals("NoExecute");
  }

  private static Optional<Taint> unreachableTaint(Node node) {
    return node.getSpec().getTaintsList().stream().filter(NodeLifecycleController::isUnreachable).findFirst();
  }
}
