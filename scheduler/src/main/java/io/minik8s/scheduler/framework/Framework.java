package io.minik8s.scheduler.framework;

import io.minik8s.scheduler.framework.plugins.NodeAffinity;
import io.minik8s.scheduler.framework.plugins.NodePorts;
import io.minik8s.scheduler.framework.plugins.NodeReady;
import io.minik8s.scheduler.framework.plugins.NodeResourcesBalancedAllocation;
import io.minik8s.scheduler.framework.plugins.NodeResourcesFit;
import io.minik8s.scheduler.framework.plugins.NodeResourcesLeastAllocated;
import io.minik8s.scheduler.framework.plugins.NodeUnschedulable;
import io.minik8s.scheduler.framework.plugins.SelectorSpread;
import io.minik8s.scheduler.framework.plugins.TaintToleration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * One scheduling decision: filter every node (a node is out at its first failing filter, and
 * that filter's reasons are counted for the summary), score the feasible ones with every score
 * plugin, and take the best weighted sum, ties broken at random.
 *
 * <p>As Kubernetes' percentageOfNodesToScore, in a large cluster the search stops once enough
 * feasible nodes are found (at least 100, a share that shrinks as the cluster grows), starting
 * each time where the previous search stopped so every node gets its turn.
 *
 * <p>Mirrors Kubernetes' pkg/scheduler/framework/runtime/framework.go.
 */
public final class Framework {
  public record WeightedScore(ScorePlugin plugin, int weight) {}

  public record Result(String nodeName, int evaluated, int feasible) {}

  private static final int MIN_FEASIBLE_NODES_TO_FIND = 100;

  private final List<FilterPlugin> filters;
  private final List<WeightedScore> scores;
  private final RandomGenerator random;
  private int nextStartNodeIndex;

  public Framework(List<FilterPlugin> filters, List<WeightedScore> scores, RandomGenerator random) {
    this.filters = List.copyOf(filters);
    this.scores = List.copyOf(scores);
    this.random = random;
  }

  /** The default plugins, in Kubernetes' order, with its default weights. */
  public static Framework defaults(RandomGenerator random) {
    TaintToleration taints = new TaintToleration();
    NodeAffinity affinity = new NodeAffinity();
    return new Framework(
        List.of(new NodeReady(), new NodeUnschedulable(), taints, affinity, new NodePorts(), new NodeResourcesFit()),
        List.of(
            new WeightedScore(new NodeResourcesLeastAllocated(), 1),
            new WeightedScore(new NodeResourcesBalancedAllocation(), 1),
            new WeightedScore(new SelectorSpread(), 2),
            new WeightedScore(taints, 3),
            new WeightedScore(affinity, 2)),
        random);
  }

  /** The node to place the pod on; a {@link FitError} when none fits. Not thread-safe. */
  public Result schedule(PodInfo pod, List<NodeInfo> nodes) throws FitError {
    if (nodes.isEmpty()) {
      throw new FitError(0, Map.of());
    }
    int wanted = numFeasibleNodesToFind(nodes.size());
    List<NodeInfo> feasible = new ArrayList<>(Math.min(wanted, nodes.size()));
    Map<String, Integer> reasons = new HashMap<>();
    int evaluated = 0;
    int start = nextStartNodeIndex % nodes.size();
    for (int i = 0; i < nodes.size() && feasible.size() < wanted; i++) {
      NodeInfo node = nodes.get((start + i) % nodes.size());
      evaluated++;
      Status s = filter(pod, node);
      if (s.success()) {
        feasible.add(node);
      } else {
        s.reasons().forEach(r -> reasons.merge(r, 1, Integer::sum));
      }
    }
    nextStartNodeIndex = (start + evaluated) % nodes.size();
    if (feasible.isEmpty()) {
      throw new FitError(nodes.size(), reasons);
    }
    if (feasible.size() == 1) {
      return new Result(feasible.get(0).name(), evaluated, 1);
    }
    return new Result(select(pod, feasible), evaluated, feasible.size());
  }

  public Status filter(PodInfo pod, NodeInfo node) {
    for (FilterPlugin f : filters) {
      Status s = f.filter(pod, node);
      if (!s.success()) {
        return s;
      }
    }
    return Status.SUCCESS;
  }

  /** Weighted sum of normalized scores per node. */
  public long[] score(PodInfo pod, List<NodeInfo> nodes) {
    long[] total = new long[nodes.size()];
    for (WeightedScore ws : scores) {
      long[] s = new long[nodes.size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = ws.plugin().score(pod, nodes.get(i));
      }
      ws.plugin().normalize(pod, nodes, s);
      for (int i = 0; i < s.length; i++) {
        total[i] += s[i] * ws.weight();
      }
    }
    return total;
  }

  private String select(PodInfo pod, List<NodeInfo> feasible) {
    long[] total = score(pod, feasible);
    int best = 0;
    int ties = 1;
    for (int i = 1; i < total.length; i++) {
      if (total[i] > total[best]) {
        best = i;
        ties = 1;
      } else if (total[i] == total[best] && random.nextInt(++ties) == 0) {
        // reservoir sampling: each of the tied nodes ends up chosen with equal chance
        best = i;
      }
    }
    return feasible.get(best).name();
  }

  /** Kubernetes' adaptive percentage: 50% less 1% per 125 nodes, at least 5%, at least 100 nodes. */
  static int numFeasibleNodesToFind(int numNodes) {
    if (numNodes < MIN_FEASIBLE_NODES_TO_FIND) {
      return numNodes;
    }
    int percentage = Math.max(5, 50 - numNodes / 125);
    return Math.max(MIN_FEASIBLE_NODES_TO_FIND, numNodes * percentage / 100);
  }
}
