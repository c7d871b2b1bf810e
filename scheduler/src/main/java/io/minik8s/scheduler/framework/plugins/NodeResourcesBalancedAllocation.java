package io.minik8s.scheduler.framework.plugins;

import io.minik8s.scheduler.framework.NodeInfo;
import io.minik8s.scheduler.framework.PodInfo;
import io.minik8s.scheduler.framework.Resource;
import io.minik8s.scheduler.framework.ScorePlugin;

/**
 * Prefers nodes whose CPU and memory would be used in equal shares, so neither is stranded:
 * 100 × (1 − standard deviation of the two fractions), which for two values is |a − b| / 2.
 *
 * <p>Mirrors Kubernetes' pkg/scheduler/framework/plugins/noderesources/balanced_allocation.go.
 */
public final class NodeResourcesBalancedAllocation implements ScorePlugin {
  @Override
  public String name() {
    return "NodeResourcesBalancedAllocation";
  }

  @Override
  public long score(PodInfo pod, NodeInfo node) {
    Resource alloc = node.allocatable();
    Resource used = node.nonZeroRequested().plus(pod.nonZeroRequests());
    double cpu = fraction(used.milliCpu(), alloc.milliCpu());
    double memory = fraction(used.memory(), alloc.memory());
    double std = Math.abs(cpu - memory) / 2;
    return (long) ((1 - std) * MAX_SCORE);
  }

  private static double fraction(long requested, long capacity) {
    return capacity <= 0 ? 1 : Math.min(1, (double) requested / capacity);
  }
}
