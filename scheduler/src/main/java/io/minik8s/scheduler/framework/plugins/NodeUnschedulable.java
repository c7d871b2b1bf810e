package io.minik8s.scheduler.framework.plugins;

import io.minik8s.api.Taint;
import io.minik8s.scheduler.framework.FilterPlugin;
import io.minik8s.scheduler.framework.NodeInfo;
import io.minik8s.scheduler.framework.PodInfo;
import io.minik8s.scheduler.framework.Status;

/**
 * Keeps pods off cordoned nodes ({@code spec.unschedulable}) unless they tolerate that.
 *
 * <p>Mirrors Kubernetes' pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go.
 */
public final class NodeUnschedulable implements FilterPlugin {
  public static final String REASON = "node(s) were unschedulable";
  /** The taint a cordon stands for; a pod tolerating it (a DaemonSet's) may still go there. */
  static final Taint UNSCHEDULABLE_TAINT = Taint.newBuilder()
      .setKey("node.kubernetes.io/unschedulable").setEffect("NoSchedule").build();

  @Override
  public String name() {
    return "NodeUnschedulable";
  }

  @Override
  public Status filter(PodInfo pod, NodeInfo node) {
    if (!node.node().getSpec().getUnschedulable()) {
      return Status.SUCCESS;
    }
    boolean tolerated = pod.pod().getSpec().getTolerationsList().stream()
        .anyMatch(t -> TaintToleration.tolerates(t, UNSCHEDULABLE_TAINT));
    return tolerated ? Status.SUCCESS : Status.unschedulable(REASON);
  }
}
