package io.minik8s.apiserver.admission;

import io.minik8s.api.ClusterRoleBinding;
import io.minik8s.api.RoleBinding;
import io.minik8s.api.RoleRef;
import io.minik8s.api.Subject;
import io.minik8s.client.api.Resources;
import java.util.List;

/**
 * Kubernetes' rbac/v1 defaults (pkg/apis/rbac/v1/defaults.go): a roleRef and a User or Group
 * subject without an apiGroup are of the RBAC group; a ServiceAccount subject has none.
 */
final class RbacDefaulting {
  private RbacDefaulting() {}

  static RoleBinding roleBinding(RoleBinding b) {
    return b.toBuilder().setRoleRef(roleRef(b.getRoleRef())).clearSubjects().addAllSubjects(subjects(b.getSubjectsList()))
        .build();
  }

  static ClusterRoleBinding clusterRoleBinding(ClusterRoleBinding b) {
    return b.toBuilder().setRoleRef(roleRef(b.getRoleRef())).clearSubjects().addAllSubjects(subjects(b.getSubjectsList()))
        .build();
  }

  private static RoleRef roleRef(RoleRef ref) {
    return ref.getApiGroup().isEmpty() ? ref.toBuilder().setApiGroup(Resources.RBAC_GROUP).build() : ref;
  }

  private static List<Subject> subjects(List<Subject> subjects) {
    return subjects.stream().map(s -> s.getApiGroup().isEmpty() && (s.getKind().equals("User") || s.getKind().equals("Group"))
        ? s.toBuilder().setApiGroup(Resources.RBAC_GROUP).build() : s).toList();
  }
}
