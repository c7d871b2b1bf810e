package io.minik8s.scheduler.framework.plugins;

import io.minik8s.scheduler.framework.FilterPlugin;
import io.minik8s.scheduler.framework.NodeInfo;
import io.minik8s.scheduler.framework.PodInfo;
import io.minik8s.scheduler.framework.Resource;
import io.minik8s.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * The pod's requests must fit in the node's allocatable minus what the pods already there
 * (bound or assumed) request, and the node must have room for one more pod. Every shortage is
 * reported, so the summary counts "Insufficient cpu" and "Insufficient memory" separately.
 *
 * <p>Mirrors Kubernetes' pkg/scheduler/framework/plugins/noderesources/fit.go.
 */
public final class NodeResourcesFit implements FilterPlugin {
  public static final String TOO_MANY_PODS = "Too many pods";
  public static final String INSUFFICIENT_CPU = "Insufficient cpu";
  public static final String INSUFFICIENT_MEMORY = "Insufficient memory";

  @Override
  public String name() {
    return "NodeResourcesFit";
  }

  @Override
  public Status filter(PodInfo pod, NodeInfo node) {
    List<String> reasons = new ArrayList<>(3);
    if (node.podCount() + 1 > node.allowedPods()) {
      reasons.add(TOO_MANY_PODS);
    }
    Resource want = pod.requests();
    Resource free = node.allocatable().minus(node.requested());
    if (want.milliCpu() > 0 && want.milliCpu() > free.milliCpu()) {
      reasons.add(INSUFFICIENT_CPU);
    }
    if (want.memory() > 0 && want.memory() > free.memory()) {
      reasons.add(INSUFFICIENT_MEMORY);
    }
    return reasons.isEmpty() ? Status.SUCCESS : Status.unschedulable(reasons);
  }
}
