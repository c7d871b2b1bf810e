package io.minik8s.apiserver.admission;

import io.minik8s.api.IntOrString;
import io.minik8s.api.LabelSelector;
import io.minik8s.api.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Bad values rendered as Kubernetes' error messages show them: the api-server formats them with
 * Go's {@code %q} (strings) or {@code %#v} (maps and structs), so users (and scripts written
 * against Kubernetes) see the same text here.
 */
final class GoValues {
  private GoValues() {}

  /** Values longer than this are cut when echoed in an error. */
  static final int MAX_ECHOED = 256;

  /**
   * {@link #quote}, cut after {@link #MAX_ECHOED} characters: an error echoes a hostile 300,000
   * character value only in part, so that it still fits the gRPC trailer that carries it.
   */
  static String quoteBounded(String s) {
    if (s.length() <= MAX_ECHOED) {
      return quote(s);
    }
    return quote(s.substring(0, MAX_ECHOED)) + "...(" + s.length() + " characters)";
  }

  /** Go's {@code strconv.Quote}. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    s.codePoints().forEach(c -> {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02x", c));
          } else if (Character.isISOControl(c) || !Character.isDefined(c)) {
            sb.append(String.format("\\u%04x", c));
          } else {
            sb.appendCodePoint(c);
          }
        }
      }
    });
    return sb.append('"').toString();
  }

  /** {@code map[string]string{"app":"web"}}, keys sorted as Go prints them. */
  static String stringMap(Map<String, String> map) {
    if (map.isEmpty()) {
      return "map[string]string(nil)";
    }
    return new TreeMap<>(map).entrySet().stream()
        .map(e -> quote(e.getKey()) + ":" + quote(e.getValue()))
        .collect(Collectors.joining(", ", "map[string]string{", "}"));
  }

  static String stringList(List<String> list) {
    if (list.isEmpty()) {
      return "[]string(nil)";
    }
    return list.stream().map(GoValues::quote).collect(Collectors.joining(", ", "[]string{", "}"));
  }

  static String selector(LabelSelector s) {
    String exprs = s.getMatchExpressionsCount() == 0
        ? "[]v1.LabelSelectorRequirement(nil)"
        : s.getMatchExpressionsList().stream()
            .map(GoValues::requirement)
            .collect(Collectors.joining(", ", "[]v1.LabelSelectorRequirement{", "}"));
    return "v1.LabelSelector{MatchLabels:" + stringMap(s.getMatchLabelsMap())
        + ", MatchExpressions:" + exprs + "}";
  }

  private static String requirement(LabelSelectorRequirement r) {
    return "v1.LabelSelectorRequirement{Key:" + quote(r.getKey()) + ", Operator:" + quote(r.getOperator())
        + ", Values:" + stringList(r.getValuesList()) + "}";
  }

  static String intOrString(IntOrString v) {
    boolean isString = v.getValueCase() == IntOrString.ValueCase.STR_VAL;
    return "intstr.IntOrString{Type:" + (isString ? 1 : 0) + ", IntVal:" + v.getIntVal()
        + ", StrVal:" + quote(v.getStrVal()) + "}";
  }

  /** A struct with only string fields and one nested pointer, e.g. an update strategy. */
  static String strategy(String goType, String typeValue, String nestedType, boolean nestedSet) {
    String nested = nestedSet ? "&" + nestedType + "{...}" : "(*" + nestedType + ")(nil)";
    return goType + "{Type:" + quote(typeValue) + ", RollingUpdate:" + nested + "}";
  }
}
