package io.minik8s.scheduler.framework.plugins;

import io.minik8s.api.Taint;
import io.minik8s.api.Toleration;
import io.minik8s.scheduler.framework.FilterPlugin;
import io.minik8s.scheduler.framework.NodeInfo;
import io.minik8s.scheduler.framework.PodInfo;
import io.minik8s.scheduler.framework.ScorePlugin;
import io.minik8s.scheduler.framework.Status;
import java.util.List;

/**
 * Taints repel pods that do not tolerate them: NoSchedule and NoExecute taints filter a node
 * out; PreferNoSchedule taints only lower its score, by how many of them the pod does not
 * tolerate.
 *
 * <p>Mirrors Kubernetes' pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go.
 */
public final class TaintToleration implements FilterPlugin, ScorePlugin {
  @Override
  public String name() {
    return "TaintToleration";
  }

  @Override
  public Status filter(PodInfo pod, NodeInfo node) {
    List<Toleration> tolerations = pod.pod().getSpec().getTolerationsList();
    for (Taint taint : node.node().getSpec().getTaintsList()) {
      boolean hard = taint.getEffect().equals("NoSchedule") || taint.getEffect().equals("NoExecute");
      if (hard && tolerations.stream().noneMatch(t -> tolerates(t, taint))) {
        return Status.unschedulable("node(s) had untolerated taint {" + taint.getKey() + ": " + taint.getValue() + "}");
      }
    }
    return Status.SUCCESS;
  }

  @Override
  public long score(PodInfo pod, NodeInfo node) {
    List<Toleration> tolerations = pod.pod().getSpec().getTolerationsList();
    return node.node().getSpec().getTaintsList().stream()
        .filter(t -> t.getEffect().equals("PreferNoSchedule"))
        .filter(taint -> tolerations.stream().noneMatch(t -> tolerates(t, taint)))
        .count();
  }

  /** Fewer intolerable taints is better: the raw count is inverted against the worst node. */
  @Override
  public void normalize(PodInfo pod, List<NodeInfo> nodes, long[] scores) {
    long max = 0;
    for (long s : scores) {
      max = Math.max(max, s);
    }
    for (int i = 0; i < scores.length; i++) {
      scores[i] = max == 0 ? MAX_SCORE : MAX_SCORE - scores[i] * MAX_SCORE / max;
    }
  }

  /** Kubernetes' Toleration.ToleratesTaint. */
  public static boolean tolerates(Toleration t, Taint taint) {
    if (!t.getEffect().isEmpty() && !t.getEffect().equals(taint.getEffect())) {
      return false;
    }
    if (!t.getKey().isEmpty() && !t.getKey().equals(taint.getKey())) {
      return false;
    }
    return switch (t.getOperator()) {
      case "Exists" -> true;
      case "", "Equal" -> t.getValue().equals(taint.getValue());
      default -> false;
    };
  }
}
