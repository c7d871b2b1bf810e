package io.minik8s.scheduler.framework.plugins;

import io.minik8s.scheduler.framework.NodeInfo;
import io.minik8s.scheduler.framework.PodInfo;
import io.minik8s.scheduler.framework.ScorePlugin;
import java.util.List;

/**
 * Spreads the pods of one controller (same controller ownerReference uid) across nodes, so
 * losing a node loses few replicas: a node scores higher the fewer of the pod's siblings it
 * already holds. A pod without a controller scores every node the same.
 *
 * <p>Mirrors Kubernetes' pkg/scheduler/framework/plugins/selectorspread/selector_spread.go (removed in 1.27; PodTopologySpread replaced it).
 */
public final class SelectorSpread implements ScorePlugin {
  @Override
  public String name() {
    return "SelectorSpread";
  }

  @Override
  public long score(PodInfo pod, NodeInfo node) {
    return pod.controllerUid().isEmpty() ? 0 : node.podsOfController(pod.controllerUid());
  }

  @Override
  public void normalize(PodInfo pod, List<NodeInfo> nodes, long[] scores) {
    long max = 0;
    for (long s : scores) {
      max = Math.max(max, s);
    }
    for (int i = 0; i < scores.length; i++) {
      scores[i] = max == 0 ? MAX_SCORE : (max - scores[i]) * MAX_SCORE / max;
    }
  }
}
