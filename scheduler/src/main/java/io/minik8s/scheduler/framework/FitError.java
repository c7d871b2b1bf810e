package io.minik8s.scheduler.framework;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * No node fits the pod. Its message is Kubernetes' summary: how many nodes were considered and,
 * sorted, how many failed for each reason ({@code 0/3 nodes are available: 1 node(s) didn't
 * match Pod's node affinity/selector, 2 Insufficient memory.}).
 *
 * <p>Mirrors Kubernetes' pkg/scheduler/framework/types.go (FitError).
 */
public final class FitError extends Exception {
  private final int numNodes;
  private final Map<String, Integer> reasons;

  public FitError(int numNodes, Map<String, Integer> reasons) {
    super(message(numNodes, reasons), null, false, false);
    this.numNodes = numNodes;
    this.reasons = new TreeMap<>(reasons);
  }

  public int numNodes() {
    return numNodes;
  }

  public Map<String, Integer> reasons() {
    return reasons;
  }

  static String message(int numNodes, Map<String, Integer> reasons) {
    List<String> parts = new ArrayList<>();
    reasons.forEach((reason, count) -> parts.add(count + " " + reason));
    parts.sort(null);
    String head = "0/" + numNodes + " nodes are available";
    return parts.isEmpty() ? head + "." : head + ": " + String.join(", ", parts) + ".";
  }
}
