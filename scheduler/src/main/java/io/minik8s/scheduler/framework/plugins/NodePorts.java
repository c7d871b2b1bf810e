package io.minik8s.scheduler.framework.plugins;

import io.minik8s.scheduler.framework.FilterPlugin;
import io.minik8s.scheduler.framework.HostPort;
import io.minik8s.scheduler.framework.NodeInfo;
import io.minik8s.scheduler.framework.PodInfo;
import io.minik8s.scheduler.framework.Status;

/**
 * A host port can be bound by one pod per node: nodes where a wanted port is taken are out.
 *
 * <p>Mirrors Kubernetes' pkg/scheduler/framework/plugins/nodeports/node_ports.go.
 */
public final class NodePorts implements FilterPlugin {
  public static final String REASON = "node(s) didn't have free ports for the requested pod ports";

  @Override
  public String name() {
    return "NodePorts";
  }

  @Override
  public Status filter(PodInfo pod, NodeInfo node) {
    for (HostPort wanted : pod.hostPorts()) {
      for (HostPort used : node.usedPorts()) {
        if (wanted.conflictsWith(used)) {
          return Status.unschedulable(REASON);
        }
      }
    }
    return Status.SUCCESS;
  }
}
