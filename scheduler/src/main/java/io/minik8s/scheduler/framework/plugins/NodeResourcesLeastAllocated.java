package io.minik8s.scheduler.framework.plugins;

import io.minik8s.scheduler.framework.NodeInfo;
import io.minik8s.scheduler.framework.PodInfo;
import io.minik8s.scheduler.framework.Resource;
import io.minik8s.scheduler.framework.ScorePlugin;

/**
 * Prefers the emptiest node: the mean over CPU and memory of the share left free once the pod
 * is placed. Uses non-zero requests, so pods that request nothing still spread out.
 *
 * <p>Mirrors Kubernetes' pkg/scheduler/framework/plugins/noderesources/least_allocated.go.
 */
public final class NodeResourcesLeastAllocated implements ScorePlugin {
  @Override
  public String name() {
    return "NodeResourcesLeastAllocated";
  }

  @Override
  public long score(PodInfo pod, NodeInfo node) {
    Resource alloc = node.allocatable();
    Resource used = node.nonZeroRequested().plus(pod.nonZeroRequests());
    return (free(used.milliCpu(), alloc.milliCpu()) + free(used.memory(), alloc.memory())) / 2;
  }

  static long free(long requested, long capacity) {
    if (capacity <= 0 || requested > capacity) {
      return 0;
    }
    return (capacity - requested) * MAX_SCORE / capacity;
  }
}
