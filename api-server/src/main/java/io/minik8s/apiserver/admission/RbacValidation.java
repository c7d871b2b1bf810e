package io.minik8s.apiserver.admission;

import io.minik8s.api.PolicyRule;
import io.minik8s.api.RoleRef;
import io.minik8s.api.Subject;
import io.minik8s.client.api.Resources;
import java.util.List;

/**
 * Role, ClusterRole, RoleBinding and ClusterRoleBinding, as Kubernetes' pkg/apis/rbac/validation
 * checks them: every rule names verbs, and resources with their API groups (or, cluster-wide only,
 * non-resource URLs); a binding refers to a Role or ClusterRole of the RBAC group and names each
 * subject; the role a binding refers to never changes (delete and create the binding instead).
 */
final class RbacValidation {
  static final List<String> SUBJECT_KINDS = List.of("ServiceAccount", "User", "Group");
  private static final List<String> ROLE_REF_KINDS = List.of("Role", "ClusterRole");

  private RbacValidation() {}

  static void rules(List<FieldError> errs, List<PolicyRule> rules, boolean namespaced) {
    FieldPath path = FieldPath.root("rules");
    for (int i = 0; i < rules.size(); i++) {
      rule(errs, rules.get(i), namespaced, path.index(i));
    }
  }

  private static void rule(List<FieldError> errs, PolicyRule rule, boolean namespaced, FieldPath path) {
    if (rule.getVerbsCount() == 0) {
      errs.add(path.child("verbs").required("verbs must contain at least one value"));
    }
    if (rule.getNonResourceUrlsCount() > 0) {
      String urls = "[]string{" + String.join(", ", rule.getNonResourceUrlsList().stream().map(GoValues::quote).toList()) + "}";
      if (namespaced) {
        errs.add(path.child("nonResourceURLs").invalidRendered(urls, "namespaced rules cannot apply to non-resource URLs"));
      }
      if (rule.getApiGroupsCount() > 0 || rule.getResourcesCount() > 0 || rule.getResourceNamesCount() > 0) {
        errs.add(path.child("nonResourceURLs").invalidRendered(urls,
            "rules cannot apply to both regular resources and non-resource URLs"));
      }
      return;
    }
    if (rule.getApiGroupsCount() == 0) {
      errs.add(path.child("apiGroups").required("resource rules must supply at least one api group"));
    }
    if (rule.getResourcesCount() == 0) {
      errs.add(path.child("resources").required("resource rules must supply at least one resource"));
    }
  }

  static void binding(List<FieldError> errs, RoleRef ref, List<Subject> subjects, boolean namespaced) {
    FieldPath refPath = FieldPath.root("roleRef");
    if (!ref.getApiGroup().equals(Resources.RBAC_GROUP)) {
      errs.add(refPath.child("apiGroup").notSupported(ref.getApiGroup(), List.of(Resources.RBAC_GROUP)));
    }
    if (!ROLE_REF_KINDS.contains(ref.getKind())) {
      errs.add(refPath.child("kind").notSupported(ref.getKind(), ROLE_REF_KINDS));
    } else if (!namespaced && !ref.getKind().equals("ClusterRole")) {
      errs.add(refPath.child("kind").notSupported(ref.getKind(), List.of("ClusterRole")));
    }
    if (ref.getName().isEmpty()) {
      errs.add(refPath.child("name").required(""));
    } else {
      Checks.format(errs, NameValidation.pathSegment(ref.getName()), refPath.child("name"), ref.getName());
    }
    FieldPath path = FieldPath.root("subjects");
    for (int i = 0; i < subjects.size(); i++) {
      subject(errs, subjects.get(i), namespaced, path.index(i));
    }
  }

  private static void subject(List<FieldError> errs, Subject s, boolean namespaced, FieldPath path) {
    if (s.getName().isEmpty()) {
      errs.add(path.child("name").required(""));
    }
    switch (s.getKind()) {
      case "ServiceAccount" -> {
        if (!s.getName().isEmpty()) {
          Checks.format(errs, NameValidation.dns1123Subdomain(s.getName()), path.child("name"), s.getName());
        }
        if (!s.getApiGroup().isEmpty()) {
          errs.add(path.child("apiGroup").notSupported(s.getApiGroup(), List.of("")));
        }
        if (!namespaced && s.getNamespace().isEmpty()) {
          errs.add(path.child("namespace").required(""));
        }
      }
      case "User", "Group" -> {
        if (!s.getApiGroup().equals(Resources.RBAC_GROUP)) {
          errs.add(path.child("apiGroup").notSupported(s.getApiGroup(), List.of(Resources.RBAC_GROUP)));
        }
      }
      default -> errs.add(path.child("kind").notSupported(s.getKind(), SUBJECT_KINDS));
    }
  }

  /** Kubernetes: "cannot change roleRef"; a binding that should grant another role is replaced. */
  static void bindingUpdate(List<FieldError> errs, RoleRef ref, RoleRef old) {
    if (!ref.equals(old)) {
      errs.add(FieldPath.root("roleRef").invalidRendered(
          "rbac.RoleRef{APIGroup:" + GoValues.quote(ref.getApiGroup()) + ", Kind:" + GoValues.quote(ref.getKind())
              + ", Name:" + GoValues.quote(ref.getName()) + "}", "cannot change roleRef"));
    }
  }
}
