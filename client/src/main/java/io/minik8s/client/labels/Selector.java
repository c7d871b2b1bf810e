package io.minik8s.client.labels;

import io.minik8s.api.LabelSelector;
import io.minik8s.api.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A label selector: the AND of its requirements. Built from the string form that list and
 * watch requests carry ({@code app=web,tier in (a,b),!canary}) or from a {@link LabelSelector}
 * in a spec. An empty selector matches everything, as in Kubernetes.
 *
 * <p>Mirrors Kubernetes' staging/src/k8s.io/apimachinery/pkg/labels/selector.go.
 */
public final class Selector {
  private static final Selector EVERYTHING = new Selector(List.of());

  private final List<Requirement> requirements;

  private Selector(List<Requirement> requirements) {
    this.requirements = List.copyOf(requirements);
  }

  public static Selector everything() {
    return EVERYTHING;
  }

  /** Parses the string form; throws IllegalArgumentException naming the bad part. */
  public static Selector parse(String text) {
    if (text == null || text.isBlank()) {
      return EVERYTHING;
    }
    return new Selector(new SelectorParser(text).parse());
  }

  /** From a spec's selector; throws IllegalArgumentException on an unknown operator. */
  public static Selector from(LabelSelector s) {
    List<Requirement> reqs = new ArrayList<>();
    new TreeMap<>(s.getMatchLabelsMap()).forEach((k, v) -> reqs.add(new Requirement(k, Requirement.Operator.EQUALS, List.of(v))));
    for (LabelSelectorRequirement e : s.getMatchExpressionsList()) {
      Requirement.Operator op = switch (e.getOperator()) {
        case "In" -> Requirement.Operator.IN;
        case "NotIn" -> Requirement.Operator.NOT_IN;
        case "Exists" -> Requirement.Operator.EXISTS;
        case "DoesNotExist" -> Requirement.Operator.DOES_NOT_EXIST;
        default -> throw new IllegalArgumentException("\"" + e.getOperator() + "\" is not a valid label selector operator");
      };
      reqs.add(new Requirement(e.getKey(), op, List.copyOf(e.getValuesList())));
    }
    return new Selector(reqs);
  }

  /** Equality selector for a map, as a Service's spec.selector. */
  public static Selector fromMap(Map<String, String> labels) {
    List<Requirement> reqs = new ArrayList<>();
    new TreeMap<>(labels).forEach((k, v) -> reqs.add(new Requirement(k, Requirement.Operator.EQUALS, List.of(v))));
    return new Selector(reqs);
  }

  public boolean matches(Map<String, String> labels) {
    for (Requirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  public boolean isEmpty() {
    return requirements.isEmpty();
  }

  public List<Requirement> requirements() {
    return requirements;
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    for (Requirement r : requirements) {
      parts.add(r.toString());
    }
    return String.join(",", parts);
  }
}
