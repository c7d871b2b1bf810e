package io.minik8s.apiserver.authz.rbac;

import io.minik8s.api.ClusterRole;
import io.minik8s.api.PolicyRule;
import io.minik8s.api.Role;
import io.minik8s.api.RoleRef;
import io.minik8s.api.Subject;
import io.minik8s.apiserver.auth.UserInfo;
import io.minik8s.client.api.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The rules a user holds in a namespace (Kubernetes' pkg/registry/rbac/validation/rule.go
 * DefaultRuleResolver): those of every ClusterRoleBinding whose subjects include the user, then,
 * in a namespace, those of the namespace's RoleBindings, a RoleBinding granting either a Role of
 * its namespace or a ClusterRole's rules in its namespace. A binding to a role that does not exist
 * grants nothing.
 */
public final class RuleResolver {
  private final RbacObjects objects;

  public RuleResolver(RbacObjects objects) {
    this.objects = objects;
  }

  public RbacObjects objects() {
    return objects;
  }

  /** Visits the user's rules in {@code namespace} ("" for cluster-wide only) until the visitor returns true. */
  public boolean anyRule(UserInfo user, String namespace, Predicate<PolicyRule> visitor) {
    for (var b : objects.clusterRoleBindings()) {
      if (appliesTo(b.getSubjectsList(), user, "") && anyOf(rules(b.getRoleRef(), ""), visitor)) {
        return true;
      }
    }
    if (namespace.isEmpty()) {
      return false;
    }
    for (var b : objects.roleBindings(namespace)) {
      if (appliesTo(b.getSubjectsList(), user, namespace) && anyOf(rules(b.getRoleRef(), namespace), visitor)) {
        return true;
      }
    }
    return false;
  }

  /** Every rule the user holds in {@code namespace}, for the escalation check. */
  public List<PolicyRule> rulesFor(UserInfo user, String namespace) {
    List<PolicyRule> out = new ArrayList<>();
    anyRule(user, namespace, r -> {
      out.add(r);
      return false;
    });
    return out;
  }

  /** The rules a binding's roleRef grants: a ClusterRole's, or a Role of the binding's namespace. */
  public List<PolicyRule> rules(RoleRef ref, String bindingNamespace) {
    return switch (ref.getKind()) {
      case "ClusterRole" -> objects.clusterRole(ref.getName()).map(ClusterRole::getRulesList).orElse(List.of());
      case "Role" -> bindingNamespace.isEmpty() ? List.of()
          : objects.role(bindingNamespace, ref.getName()).map(Role::getRulesList).orElse(List.of());
      default -> List.of();
    };
  }

  private static boolean anyOf(List<PolicyRule> rules, Predicate<PolicyRule> visitor) {
    for (PolicyRule r : rules) {
      if (visitor.test(r)) {
        return true;
      }
    }
    return false;
  }

  /** Kubernetes' appliesTo: a User by name, a Group by membership, a ServiceAccount by its user name. */
  static boolean appliesTo(List<Subject> subjects, UserInfo user, String bindingNamespace) {
    for (Subject s : subjects) {
      boolean match = switch (s.getKind()) {
        case "User" -> s.getName().equals(user.name()) && rbacGroup(s);
        case "Group" -> user.groups().contains(s.getName()) && rbacGroup(s);
        case "ServiceAccount" -> {
          String ns = s.getNamespace().isEmpty() ? bindingNamespace : s.getNamespace();
          yield !ns.isEmpty() && user.name().equals("system:serviceaccount:" + ns + ":" + s.getName());
        }
        default -> false;
      };
      if (match) {
        return true;
      }
    }
    return false;
  }

  private static boolean rbacGroup(Subject s) {
    return s.getApiGroup().isEmpty() || s.getApiGroup().equals(Resources.RBAC_GROUP);
  }
}
