package io.minik8s.scheduler.cache;

import io.minik8s.api.Node;
import io.minik8s.api.Pod;
import io.minik8s.scheduler.framework.NodeInfo;
import io.minik8s.scheduler.framework.PodInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is placed where, as Kubernetes' scheduler cache: pods the informer has seen bound, plus
 * pods this scheduler has <em>assumed</em> onto a node while their binding is in flight, so two
 * quick decisions never overbook a node. An assumed pod is confirmed when the informer sees it
 * bound, forgotten when its binding fails, and expires if its binding succeeded but the informer
 * never confirmed it within the TTL (its node may be gone). Pods are keyed by UID, as in
 * Kubernetes' pkg/scheduler/backend/cache: a pod recreated under the same name must not be
 * taken for the old one's assumption.
 */
public final class SchedulerCache {
  private static final Logger log = LoggerFactory.getLogger(SchedulerCache.class);

  private record PodState(PodInfo pod, String nodeName, boolean assumed, Instant deadline) {}

  private final Clock clock;
  private final Duration assumedTtl;
  private final Map<String, NodeInfo> nodes = new HashMap<>();
  private final Map<String, PodState> pods = new HashMap<>();
  private long generation;
  private boolean nodeSetChanged = true;

  public SchedulerCache(Clock clock, Duration assumedTtl) {
    this.clock = clock;
    this.assumedTtl = assumedTtl;
  }

  // ------------------------------------------------------------------ nodes

  public synchronized void addOrUpdateNode(Node node) {
    String name = node.getMetadata().getName();
    NodeInfo n = nodes.get(name);
    if (n == null) {
      n = new NodeInfo(name);
      nodes.put(name, n);
    }
    if (n.node() == null) {
      nodeSetChanged = true;
    }
    n.setNode(node);
    touch(n);
  }

  public synchronized void removeNode(String name) {
    NodeInfo n = nodes.remove(name);
    if (n == null) {
      return;
    }
    nodeSetChanged = true;
    // Pods still bound there keep an entry (without a node) until they go, as in Kubernetes.
    boolean hasPods = pods.values().stream().anyMatch(p -> p.nodeName().equals(name));
    if (hasPods) {
      NodeInfo orphan = new NodeInfo(name);
      pods.values().stream().filter(p -> p.nodeName().equals(name)).forEach(p -> orphan.addPod(p.pod()));
      nodes.put(name, orphan);
      touch(orphan);
    }
  }

  // ------------------------------------------------------------------ pods

  /** The scheduler decided: count the pod on the node now, before the binding is written. */
  public synchronized void assumePod(PodInfo pod, String nodeName) {
    if (pods.containsKey(pod.uid())) {
      throw new IllegalStateException("pod " + pod.key() + " (uid " + pod.uid() + ") is already in the cache");
    }
    pods.put(pod.uid(), new PodState(pod, nodeName, true, null));
    nodeFor(nodeName).addPod(pod);
    touch(nodes.get(nodeName));
  }

  /** The binding was written: the assumption now expires unless the informer confirms it. */
  public synchronized void finishBinding(String uid) {
    PodState s = pods.get(uid);
    if (s != null && s.assumed()) {
      pods.put(uid, new PodState(s.pod(), s.nodeName(), true, clock.instant().plus(assumedTtl)));
    }
  }

  /** The binding failed: the pod no longer counts on its node. */
  public synchronized void forgetPod(String uid) {
    PodState s = pods.get(uid);
    if (s != null && s.assumed()) {
      removeState(uid, s);
    }
  }

  /** The informer saw the pod bound (confirming an assumption) or changed. */
  public synchronized void addOrUpdatePod(Pod pod) {
    PodInfo info = PodInfo.of(pod);
    String nodeName = pod.getSpec().getNodeName();
    PodState old = pods.get(info.uid());
    if (old != null && !old.nodeName().equals(nodeName)) {
      if (old.assumed()) {
        log.warn("pod {} was assumed on {} but is bound to {}", info.key(), old.nodeName(), nodeName);
      }
      removeState(info.uid(), old);
    }
    pods.put(info.uid(), new PodState(info, nodeName, false, null));
    nodeFor(nodeName).addPod(info);
    touch(nodes.get(nodeName));
  }

  public synchronized void removePod(String uid) {
    PodState s = pods.get(uid);
    if (s != null) {
      removeState(uid, s);
    }
  }

  public synchronized boolean isAssumed(String uid) {
    PodState s = pods.get(uid);
    return s != null && s.assumed();
  }

  /** Drops assumed pods whose binding finished longer than the TTL ago; returns how many. */
  public synchronized int cleanupExpiredAssumedPods() {
    Instant now = clock.instant();
    List<String> expired = new ArrayList<>();
    for (Iterator<Map.Entry<String, PodState>> it = pods.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, PodState> e = it.next();
      PodState s = e.getValue();
      if (s.assumed() && s.deadline() != null && now.isAfter(s.deadline())) {
        expired.add(e.getKey());
      }
    }
    for (String uid : expired) {
      PodState s = pods.get(uid);
      log.warn("assumed pod {} expired: its binding was never confirmed", s.pod().key());
      removeState(uid, s);
    }
    return expired.size();
  }

  public synchronized int podCount() {
    return pods.size();
  }

  public synchronized int nodeCount() {
    return (int) nodes.values().stream().filter(n -> n.node() != null).count();
  }

  /** Brings the snapshot up to date, copying only the node infos changed since its last update. */
  public synchronized void updateSnapshot(Snapshot snapshot) {
    boolean changed = nodeSetChanged;
    for (NodeInfo n : nodes.values()) {
      if (n.generation() > snapshot.generation) {
        snapshot.byName.put(n.name(), n.copy());
        changed = true;
      }
    }
    if (nodeSetChanged) {
      snapshot.byName.keySet().retainAll(nodes.keySet());
      nodeSetChanged = false;
    }
    snapshot.generation = generation;
    if (changed) {
      snapshot.rebuildList();
    }
  }

  private void removeState(String uid, PodState s) {
    pods.remove(uid);
    NodeInfo n = nodes.get(s.nodeName());
    if (n != null && n.removePod(uid)) {
      touch(n);
      if (n.node() == null && n.podCount() == 0) {
        nodes.remove(s.nodeName());
        nodeSetChanged = true;
      }
    }
  }

  private NodeInfo nodeFor(String name) {
    return nodes.computeIfAbsent(name, NodeInfo::new);
  }

  private void touch(NodeInfo n) {
    n.setGeneration(++generation);
  }
}
