package io.minik8s.scheduler.framework.plugins;

import io.minik8s.api.Node;
import io.minik8s.api.NodeSelector;
import io.minik8s.api.NodeSelectorRequirement;
import io.minik8s.api.NodeSelectorTerm;
import io.minik8s.api.PodSpec;
import io.minik8s.api.PreferredSchedulingTerm;
import io.minik8s.scheduler.framework.FilterPlugin;
import io.minik8s.scheduler.framework.NodeInfo;
import io.minik8s.scheduler.framework.PodInfo;
import io.minik8s.scheduler.framework.ScorePlugin;
import io.minik8s.scheduler.framework.Status;
import java.util.List;
import java.util.Map;

/**
 * {@code nodeSelector} and required node affinity filter; preferred node affinity scores.
 * Terms are ORed, the expressions of one term ANDed; a term with no expressions matches nothing.
 *
 * <p>Mirrors Kubernetes' pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go.
 */
public final class NodeAffinity implements FilterPlugin, ScorePlugin {
  public static final String REASON = "node(s) didn't match Pod's node affinity/selector";

  @Override
  public String name() {
    return "NodeAffinity";
  }

  @Override
  public Status filter(PodInfo pod, NodeInfo node) {
    PodSpec spec = pod.pod().getSpec();
    Map<String, String> labels = node.node().getMetadata().getLabelsMap();
    for (Map.Entry<String, String> e : spec.getNodeSelectorMap().entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return Status.unschedulable(REASON);
      }
    }
    if (spec.getAffinity().getNodeAffinity().hasRequiredDuringSchedulingIgnoredDuringExecution()) {
      NodeSelector required = spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
      if (!matchesAny(required.getNodeSelectorTermsList(), node.node())) {
        return Status.unschedulable(REASON);
      }
    }
    return Status.SUCCESS;
  }

  @Override
  public long score(PodInfo pod, NodeInfo node) {
    long sum = 0;
    for (PreferredSchedulingTerm p : pod.pod().getSpec().getAffinity().getNodeAffinity()
        .getPreferredDuringSchedulingIgnoredDuringExecutionList()) {
      if (matches(p.getPreference(), node.node())) {
        sum += p.getWeight();
      }
    }
    return sum;
  }

  @Override
  public void normalize(PodInfo pod, List<NodeInfo> nodes, long[] scores) {
    long max = 0;
    for (long s : scores) {
      max = Math.max(max, s);
    }
    for (int i = 0; i < scores.length; i++) {
      scores[i] = max == 0 ? 0 : scores[i] * MAX_SCORE / max;
    }
  }

  static boolean matchesAny(List<NodeSelectorTerm> terms, Node node) {
    return terms.stream().anyMatch(t -> matches(t, node));
  }

  static boolean matches(NodeSelectorTerm term, Node node) {
    if (term.getMatchExpressionsCount() == 0 && term.getMatchFieldsCount() == 0) {
      return false;
    }
    Map<String, String> labels = node.getMetadata().getLabelsMap();
    for (NodeSelectorRequirement r : term.getMatchExpressionsList()) {
      if (!matches(r, labels.get(r.getKey()))) {
        return false;
      }
    }
    // metadata.name is the only field Kubernetes allows here.
    for (NodeSelectorRequirement r : term.getMatchFieldsList()) {
      if (!r.getKey().equals("metadata.name") || !matches(r, node.getMetadata().getName())) {
        return false;
      }
    }
    return true;
  }

  /** One requirement against the node's value for its key (null when the node lacks the key). */
  static boolean matches(NodeSelectorRequirement r, String value) {
    return switch (r.getOperator()) {
      case "In" -> value != null && r.getValuesList().contains(value);
      case "NotIn" -> value == null || !r.getValuesList().contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      case "Gt", "Lt" -> compareInts(r, value);
      default -> false;
    };
  }

  private static boolean compareInts(NodeSelectorRequirement r, String value) {
    if (value == null || r.getValuesCount() != 1) {
      return false;
    }
    try {
      long have = Long.parseLong(value);
      long want = Long.parseLong(r.getValues(0));
      return r.getOperator().equals("Gt") ? have > want : have < want;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
