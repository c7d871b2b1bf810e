package io.minik8s.scheduler.framework;

import io.minik8s.api.Node;
import io.minik8s.client.api.Quantity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One node and what is placed on it: the pods bound or assumed there and their summed requests,
 * host ports and controllers. Mutated only by the scheduler cache under its lock; the
 * scheduling cycle reads a {@link #copy()} from the snapshot.
 *
 * <p>Mirrors Kubernetes' pkg/scheduler/framework/types.go (NodeInfo).
 */
public final class NodeInfo {
  /** The kubelet's default --max-pods, for a node that does not report allocatable pods. */
  static final long DEFAULT_MAX_PODS = 110;

  private final String name;
  private Node node;
  private Resource allocatable = Resource.ZERO;
  private long allowedPods;
  private Resource requested = Resource.ZERO;
  private Resource nonZeroRequested = Resource.ZERO;
  private final Map<String, PodInfo> pods = new HashMap<>();
  private final List<HostPort> usedPorts = new ArrayList<>();
  private final Map<String, Integer> podsByController = new HashMap<>();
  private long generation;

  public NodeInfo(String name) {
    this.name = name;
  }

  public static NodeInfo of(Node node, PodInfo... pods) {
    NodeInfo n = new NodeInfo(node.getMetadata().getName());
    n.setNode(node);
    for (PodInfo p : pods) {
      n.addPod(p);
    }
    return n;
  }

  public String name() {
    return name;
  }

  /** The Node object, or null while only pods bound to a node not (yet) seen are known. */
  public Node node() {
    return node;
  }

  public void setNode(Node node) {
    this.node = node;
    Map<String, String> alloc = node.getStatus().getAllocatableMap().isEmpty()
        ? node.getStatus().getCapacityMap() : node.getStatus().getAllocatableMap();
    this.allocatable = Resource.of(alloc);
    this.allowedPods = alloc.containsKey("pods") ? Quantity.value(alloc.get("pods")) : DEFAULT_MAX_PODS;
  }

  public void addPod(PodInfo p) {
    PodInfo old = pods.put(p.uid(), p);
    if (old != null) {
      subtract(old);
    }
    requested = requested.plus(p.requests());
    nonZeroRequested = nonZeroRequested.plus(p.nonZeroRequests());
    usedPorts.addAll(p.hostPorts());
    if (!p.controllerUid().isEmpty()) {
      podsByController.merge(p.controllerUid(), 1, Integer::sum);
    }
  }

  public boolean removePod(String uid) {
    PodInfo old = pods.remove(uid);
    if (old == null) {
      return false;
    }
    subtract(old);
    return true;
  }

  private void subtract(PodInfo p) {
    requested = requested.minus(p.requests());
    nonZeroRequested = nonZeroRequested.minus(p.nonZeroRequests());
    for (HostPort hp : p.hostPorts()) {
      usedPorts.remove(hp);
    }
    if (!p.controllerUid().isEmpty()) {
      podsByController.computeIfPresent(p.controllerUid(), (k, v) -> v <= 1 ? null : v - 1);
    }
  }

  public Resource allocatable() {
    return allocatable;
  }

  public long allowedPods() {
    return allowedPods;
  }

  public Resource requested() {
    return requested;
  }

  public Resource nonZeroRequested() {
    return nonZeroRequested;
  }

  public int podCount() {
    return pods.size();
  }

  public boolean hasPod(String uid) {
    return pods.containsKey(uid);
  }

  public List<HostPort> usedPorts() {
    return usedPorts;
  }

  public int podsOfController(String uid) {
    return podsByController.getOrDefault(uid, 0);
  }

  public long generation() {
    return generation;
  }

  public void setGeneration(long generation) {
    this.generation = generation;
  }

  public NodeInfo copy() {
    NodeInfo c = new NodeInfo(name);
    c.node = node;
    c.allocatable = allocatable;
    c.allowedPods = allowedPods;
    c.requested = requested;
    c.nonZeroRequested = nonZeroRequested;
    c.pods.putAll(pods);
    c.usedPorts.addAll(usedPorts);
    c.podsByController.putAll(podsByController);
    c.generation = generation;
    return c;
  }
}
