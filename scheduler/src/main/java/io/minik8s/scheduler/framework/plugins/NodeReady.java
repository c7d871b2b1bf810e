package io.minik8s.scheduler.framework.plugins;

import io.minik8s.api.NodeCondition;
import io.minik8s.scheduler.framework.FilterPlugin;
import io.minik8s.scheduler.framework.NodeInfo;
import io.minik8s.scheduler.framework.PodInfo;
import io.minik8s.scheduler.framework.Status;

/**
 * Only nodes whose Ready condition is True. Kubernetes now expresses this through the
 * not-ready taint that the node-lifecycle controller adds; checking the condition directly
 * keeps pods off a node that never reported in, whether or not that controller runs.
 */
public final class NodeReady implements FilterPlugin {
  public static final String REASON = "node(s) were not ready";

  @Override
  public String name() {
    return "NodeReady";
  }

  @Override
  public Status filter(PodInfo pod, NodeInfo node) {
    for (NodeCondition c : node.node().getStatus().getConditionsList()) {
      if (c.getType().equals("Ready")) {
        return c.getStatus().equals("True") ? Status.SUCCESS : Status.unschedulable(REASON);
      }
    }
    return Status.unschedulable(REASON);
  }
}
