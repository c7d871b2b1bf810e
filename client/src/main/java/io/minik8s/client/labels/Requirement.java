package io.minik8s.client.labels;

import java.util.List;
import java.util.Map;

/**
 * One term of a selector: {@code key=a}, {@code key!=a}, {@code key In (a,b)}, {@code key NotIn (a)},
 * {@code key Exists}, {@code key DoesNotExist}. Equality terms match as In/NotIn of one value; they
 * are kept apart only so that a selector prints back as it was written.
 */
public record Requirement(String key, Operator operator, List<String> values) {

  public enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

  public boolean matches(Map<String, String> labels) {
    return switch (operator) {
      case EQUALS, IN -> labels.containsKey(key) && values.contains(labels.get(key));
      // As in Kubernetes, NotIn matches objects that lack the key altogether.
      case NOT_EQUALS, NOT_IN -> !labels.containsKey(key) || !values.contains(labels.get(key));
      case EXISTS -> labels.containsKey(key);
      case DOES_NOT_EXIST -> !labels.containsKey(key);
    };
  }

  @Override
  public String toString() {
    return switch (operator) {
      case EQUALS -> key + "=" + values.get(0);
      case NOT_EQUALS -> key + "!=" + values.get(0);
      case IN -> key + " in (" + String.join(",", values) + ")";
      case NOT_IN -> key + " notin (" + String.join(",", values) + ")";
      case EXISTS -> key;
      case DOES_NOT_EXIST -> "!" + key;
    };
  }
}
