package io.minik8s.apiserver.authz.rbac;

import com.google.protobuf.Message;
import io.minik8s.api.ClusterRole;
import io.minik8s.api.ClusterRoleBinding;
import io.minik8s.api.PolicyRule;
import io.minik8s.api.Role;
import io.minik8s.api.RoleBinding;
import io.minik8s.api.RoleRef;
import io.minik8s.apiserver.auth.UserInfo;
import io.minik8s.apiserver.authz.Attributes;
import io.minik8s.apiserver.authz.Authorizer;
import io.minik8s.apiserver.authz.Forbidden;
import io.minik8s.apiserver.registry.ApiException;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import java.util.List;

/**
 * RBAC's escalation prevention (Kubernetes' pkg/registry/rbac/role/policybased/storage.go and its
 * siblings for clusterroles, rolebindings and clusterrolebindings): being allowed to write roles and bindings is not
 * enough to grant a permission one does not hold. A Role or ClusterRole may only hold rules the
 * writer holds (in that namespace, or cluster-wide), unless the writer may {@code escalate}; a
 * binding may only grant a role whose rules the writer holds, unless the writer may {@code bind}
 * that role. Members of {@code system:masters} may do anything. So an {@code edit} user cannot
 * bind {@code cluster-admin}, to anyone.
 */
public final class EscalationCheck {
  private final RuleResolver resolver;
  private final Authorizer authorizer;

  public EscalationCheck(RuleResolver resolver, Authorizer authorizer) {
    this.resolver = resolver;
    this.authorizer = authorizer;
  }

  /** Refuses (Forbidden) writing {@code obj} when it would grant what {@code user} does not hold. */
  public void check(UserInfo user, Message obj) {
    if (user == null || user.groups().contains(UserInfo.MASTERS)) {
      return;
    }
    ResourceType type = Resources.of(obj);
    String namespace = type.namespaced() ? KubeObjects.meta(obj).getNamespace() : "";
    if (type.namespaced() && namespace.isEmpty()) {
      namespace = "default";
    }
    String name = KubeObjects.meta(obj).getName();
    switch (obj) {
      case Role r -> checkRole(user, type, namespace, name, r.getRulesList());
      case ClusterRole r -> checkRole(user, type, namespace, name, r.getRulesList());
      case RoleBinding b -> checkBinding(user, type, namespace, name, b.getRoleRef());
      case ClusterRoleBinding b -> checkBinding(user, type, namespace, name, b.getRoleRef());
      default -> { }
    }
  }

  private void checkRole(UserInfo user, ResourceType type, String namespace, String name, List<PolicyRule> rules) {
    if (authorizer.authorize(Attributes.of(user, "escalate", type, "", namespace, name)).allowed()) {
      return;
    }
    confirmNoEscalation(user, type, namespace, name, rules);
  }

  private void checkBinding(UserInfo user, ResourceType type, String namespace, String name, RoleRef ref) {
    ResourceType roleType = ref.getKind().equals("Role") ? Resources.ROLES : Resources.CLUSTER_ROLES;
    Attributes bind = new Attributes(user, "bind", Resources.RBAC_GROUP, roleType.resource(), "", namespace,
        ref.getName(), "");
    if (authorizer.authorize(bind).allowed()) {
      return;
    }
    boolean exists = roleType == Resources.ROLES
        ? resolver.objects().role(namespace, ref.getName()).isPresent()
        : resolver.objects().clusterRole(ref.getName()).isPresent();
    if (!exists) {
      throw ApiException.notFound(roleType, ref.getName());
    }
    confirmNoEscalation(user, type, namespace, name, resolver.rules(ref, namespace));
  }

  private void confirmNoEscalation(UserInfo user, ResourceType type, String namespace, String name,
                                   List<PolicyRule> rules) {
    List<PolicyRule> missing = PolicyCovers.uncovered(resolver.rulesFor(user, namespace), rules);
    if (!missing.isEmpty()) {
      throw Forbidden.forbidden(type.qualifiedResource(), name, "user \"" + user.name() + "\" (groups="
          + PolicyCovers.quoted(user.groups()) + ") is attempting to grant RBAC permissions not currently held:\n"
          + String.join("\n", PolicyCovers.describe(missing)));
    }
  }
}
