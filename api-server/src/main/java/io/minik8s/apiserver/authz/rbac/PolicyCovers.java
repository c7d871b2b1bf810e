package io.minik8s.apiserver.authz.rbac;

import io.minik8s.api.PolicyRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether one set of rules holds every permission of another (Kubernetes'
 * pkg/registry/rbac/validation/policy_comparator.go Covers): the other set is broken down into
 * single permissions (one verb, group, resource and name each), and each must be covered by some
 * rule of the first. What is not covered is returned, to say in the refusal what is missing.
 */
public final class PolicyCovers {
  private PolicyCovers() {}

  /** The permissions of {@code servant} that {@code owner} does not hold; empty when it holds them all. */
  public static List<PolicyRule> uncovered(List<PolicyRule> owner, List<PolicyRule> servant) {
    List<PolicyRule> missing = new ArrayList<>();
    for (PolicyRule r : servant) {
      for (PolicyRule sub : breakdown(r)) {
        if (owner.stream().noneMatch(o -> covers(o, sub))) {
          missing.add(sub);
        }
      }
    }
    return missing;
  }

  static List<PolicyRule> breakdown(PolicyRule rule) {
    List<PolicyRule> out = new ArrayList<>();
    for (String group : rule.getApiGroupsList()) {
      for (String resource : rule.getResourcesList()) {
        for (String verb : rule.getVerbsList()) {
          PolicyRule.Builder b = PolicyRule.newBuilder().addApiGroups(group).addResources(resource).addVerbs(verb);
          if (rule.getResourceNamesCount() == 0) {
            out.add(b.build());
          }
          for (String name : rule.getResourceNamesList()) {
            out.add(b.clone().addResourceNames(name).build());
          }
        }
      }
    }
    for (String url : rule.getNonResourceUrlsList()) {
      for (String verb : rule.getVerbsList()) {
        out.add(PolicyRule.newBuilder().addNonResourceUrls(url).addVerbs(verb).build());
      }
    }
    return out;
  }

  static boolean covers(PolicyRule owner, PolicyRule sub) {
    boolean verbs = owner.getVerbsList().contains("*") || owner.getVerbsList().containsAll(sub.getVerbsList());
    boolean groups = owner.getApiGroupsList().contains("*") || owner.getApiGroupsList().containsAll(sub.getApiGroupsList());
    boolean names = sub.getResourceNamesCount() == 0
        ? owner.getResourceNamesCount() == 0
        : owner.getResourceNamesCount() == 0 || owner.getResourceNamesList().containsAll(sub.getResourceNamesList());
    return verbs && groups && names && resourcesCover(owner.getResourcesList(), sub.getResourcesList())
        && urlsCover(owner.getNonResourceUrlsList(), sub.getNonResourceUrlsList());
  }

  private static boolean resourcesCover(List<String> owner, List<String> wanted) {
    if (owner.contains("*") || owner.containsAll(wanted)) {
      return true;
    }
    for (String path : wanted) {
      if (owner.contains(path)) {
        continue;
      }
      int slash = path.indexOf('/');
      if (slash < 0 || !owner.contains("*" + path.substring(slash))) {
        return false;
      }
    }
    return true;
  }

  private static boolean urlsCover(List<String> owner, List<String> wanted) {
    for (String path : wanted) {
      boolean covered = owner.stream().anyMatch(o -> o.equals(path)
          || o.endsWith("*") && path.startsWith(o.substring(0, o.length() - 1)));
      if (!covered) {
        return false;
      }
    }
    return true;
  }

  /**
   * The missing permissions as Kubernetes prints them (rbacv1helpers.CompactString after
   * CompactRules): one line per group, resource and name, with its verbs together, sorted.
   */
  public static List<String> describe(List<PolicyRule> missing) {
    Map<List<List<String>>, PolicyRule.Builder> compact = new LinkedHashMap<>();
    for (PolicyRule r : missing) {
      List<List<String>> key = List.of(r.getApiGroupsList(), r.getResourcesList(), r.getResourceNamesList(),
          r.getNonResourceUrlsList());
      PolicyRule.Builder b = compact.computeIfAbsent(key, k -> r.toBuilder().clearVerbs());
      r.getVerbsList().stream().filter(v -> !b.getVerbsList().contains(v)).forEach(b::addVerbs);
    }
    return compact.values().stream().map(b -> compactString(b.build())).sorted().distinct().toList();
  }

  static String compactString(PolicyRule r) {
    List<String> parts = new ArrayList<>();
    part(parts, "APIGroups", r.getApiGroupsList());
    part(parts, "Resources", r.getResourcesList());
    part(parts, "NonResourceURLs", r.getNonResourceUrlsList());
    part(parts, "ResourceNames", r.getResourceNamesList());
    part(parts, "Verbs", r.getVerbsList());
    return "{" + String.join(", ", parts) + "}";
  }

  private static void part(List<String> parts, String name, List<String> values) {
    if (!values.isEmpty()) {
      parts.add(name + ":" + quoted(values));
    }
  }

  /** Go's %q of a []string: {@code ["a" "b"]}. */
  static String quoted(List<String> values) {
    return "[" + String.join(" ", values.stream().map(v -> "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
        .toList()) + "]";
  }
}
