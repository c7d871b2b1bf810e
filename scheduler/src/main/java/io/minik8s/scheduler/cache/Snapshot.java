package io.minik8s.scheduler.cache;

import io.minik8s.scheduler.framework.NodeInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduling cycle's private, consistent view of the nodes: copies of the cache's node
 * infos, refreshed at the start of every cycle by copying only those that changed since.
 *
 * <p>Mirrors Kubernetes' pkg/scheduler/backend/cache/snapshot.go.
 */
public final class Snapshot {
  final Map<String, NodeInfo> byName = new HashMap<>();
  long generation;
  private List<NodeInfo> schedulable = List.of();

  /** Nodes known with their Node object (those with only pods bound to them cannot host more). */
  public List<NodeInfo> nodes() {
    return schedulable;
  }

  public NodeInfo get(String name) {
    return byName.get(name);
  }

  void rebuildList() {
    List<NodeInfo> list = new ArrayList<>(byName.size());
    for (NodeInfo n : byName.values()) {
      if (n.node() != null) {
        list.add(n);
      }
    }
    // a stable order, so the round-robin start index means something from cycle to cycle
    list.sort((a, b) -> a.name().compareTo(b.name()));
    schedulable = list;
  }
}
