package io.minik8s.apiserver.authz.rbac;

import io.minik8s.api.PolicyRule;
import io.minik8s.apiserver.authz.Attributes;
import java.util.List;

/**
 * Whether one RBAC rule allows a request (Kubernetes' plugin/pkg/auth/authorizer/rbac/rbac.go
 * RuleAllows and rbac/v1/helpers.go): the verb, the API group, the resource and the object name
 * must each match, where {@code *} matches anything, a rule on {@code pods/log} matches only that
 * subresource, {@code pods} does not match {@code pods/log}, {@code *}{@code /scale} matches the scale
 * subresource of every resource, and resourceNames, when given, list the only objects allowed
 * (so they can never allow a create, list or watch, which name none).
 */
public final class RuleMatcher {
  private static final String ALL = "*";

  private RuleMatcher() {}

  public static boolean allows(PolicyRule rule, Attributes request) {
    return has(rule.getVerbsList(), request.verb())
        && has(rule.getApiGroupsList(), request.apiGroup())
        && resourceMatches(rule.getResourcesList(), request.combinedResource(), request.subresource())
        && nameMatches(rule.getResourceNamesList(), request.name());
  }

  public static boolean anyAllows(List<PolicyRule> rules, Attributes request) {
    for (PolicyRule r : rules) {
      if (allows(r, request)) {
        return true;
      }
    }
    return false;
  }

  private static boolean has(List<String> values, String wanted) {
    return values.contains(ALL) || values.contains(wanted);
  }

  static boolean resourceMatches(List<String> ruleResources, String combined, String subresource) {
    for (String r : ruleResources) {
      if (r.equals(ALL) || r.equals(combined)) {
        return true;
      }
      if (!subresource.isEmpty() && r.equals("*/" + subresource)) {
        return true;
      }
    }
    return false;
  }

  private static boolean nameMatches(List<String> names, String requested) {
    return names.isEmpty() || names.contains(requested);
  }
}
