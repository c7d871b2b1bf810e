package io.minik8s.scheduler.framework;

import java.util.List;

/**
 * Ranks the nodes that passed every filter (Kubernetes' framework.ScorePlugin): a raw score per
 * node, then an optional normalization over all of them into 0..{@value #MAX_SCORE}.
 *
 * <p>Mirrors Kubernetes' pkg/scheduler/framework/interface.go.
 */
public interface ScorePlugin {
  long MAX_SCORE = 100;

  String name();

  long score(PodInfo pod, NodeInfo node);

  /** Rescales raw scores into 0..MAX_SCORE in place; most plugins already score in that range. */
  default void normalize(PodInfo pod, List<NodeInfo> nodes, long[] scores) {}
}
