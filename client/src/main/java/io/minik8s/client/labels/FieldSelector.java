package io.minik8s.client.labels;

import com.google.protobuf.Message;
import io.minik8s.api.Pod;
import io.minik8s.client.api.KubeObjects;
import java.util.ArrayList;
import java.util.List;

/**
 * A field selector ({@code spec.nodeName=node-1,metadata.name!=x}). As in Kubernetes only a few
 * fields are selectable: {@code metadata.name} and {@code metadata.namespace} for every kind, and
 * {@code spec.nodeName}, {@code status.phase} for pods.
 *
 * <p>Mirrors Kubernetes' staging/src/k8s.io/apimachinery/pkg/fields/selector.go.
 */
public final class FieldSelector {
  private record Term(String field, boolean equals, String value) {}

  private static final FieldSelector EVERYTHING = new FieldSelector(List.of());
  private final List<Term> terms;

  private FieldSelector(List<Term> terms) {
    this.terms = terms;
  }

  public static FieldSelector everything() {
    return EVERYTHING;
  }

  /** Parses the string form; throws IllegalArgumentException for a bad term or an unsupported field. */
  public static FieldSelector parse(String text, String kind) {
    if (text == null || text.isBlank()) {
      return EVERYTHING;
    }
    List<Term> terms = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.trim();
      int ne = p.indexOf("!=");
      int eq = p.indexOf('=');
      Term t;
      if (ne > 0) {
        t = new Term(p.substring(0, ne).trim(), false, p.substring(ne + 2).trim());
      } else if (eq > 0) {
        int skip = p.startsWith("==", eq) ? 2 : 1;
        t = new Term(p.substring(0, eq).trim(), true, p.substring(eq + skip).trim());
      } else {
        throw new IllegalArgumentException("invalid field selector: '" + p + "': expected field=value or field!=value");
      }
      if (!supported(t.field(), kind)) {
        throw new IllegalArgumentException(
            "field label not supported: " + t.field() + " (for " + kind + ")");
      }
      terms.add(t);
    }
    return new FieldSelector(terms);
  }

  private static boolean supported(String field, String kind) {
    return switch (field) {
      case "metadata.name", "metadata.namespace" -> true;
      case "spec.nodeName", "status.phase" -> "Pod".equals(kind);
      default -> false;
    };
  }

  public boolean matches(Message obj) {
    for (Term t : terms) {
      if (value(obj, t.field()).equals(t.value()) != t.equals()) {
        return false;
      }
    }
    return true;
  }

  /** The value that {@code spec.nodeName=NAME} asks for, if this selector has such a term: lets the server use its index. */
  public String requiredValue(String field) {
    for (Term t : terms) {
      if (t.equals() && t.field().equals(field)) {
        return t.value();
      }
    }
    return null;
  }

  public boolean isEmpty() {
    return terms.isEmpty();
  }

  private static String value(Message obj, String field) {
    return switch (field) {
      case "metadata.name" -> KubeObjects.meta(obj).getName();
      case "metadata.namespace" -> KubeObjects.meta(obj).getNamespace();
      case "spec.nodeName" -> obj instanceof Pod p ? p.getSpec().getNodeName() : "";
      case "status.phase" -> obj instanceof Pod p ? p.getStatus().getPhase() : "";
      default -> "";
    };
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    for (Term t : terms) {
      parts.add(t.field() + (t.equals() ? "=" : "!=") + t.value());
    }
    return String.join(",", parts);
  }
}
