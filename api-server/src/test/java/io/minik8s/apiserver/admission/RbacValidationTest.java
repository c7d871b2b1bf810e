package io.minik8s.apiserver.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.ClusterRole;
import io.minik8s.api.ClusterRoleBinding;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.PolicyRule;
import io.minik8s.api.Role;
import io.minik8s.api.RoleBinding;
import io.minik8s.api.RoleRef;
import io.minik8s.api.Subject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Roles and bindings are checked, defaulted and refused with Kubernetes' field paths and messages. */
class RbacValidationTest {
  private static final ObjectMeta NS_META = ObjectMeta.newBuilder().setNamespace("team").setName("r").build();

  private static List<String> errors(com.google.protobuf.Message obj) {
    return Validation.validateCreate(Defaulting.apply(obj)).stream().map(Object::toString).toList();
  }

  @Test
  void aRuleNeedsVerbsGroupsAndResources() {
    Role role = Role.newBuilder().setMetadata(NS_META).addRules(PolicyRule.getDefaultInstance()).build();
    assertThat(errors(role)).containsExactly(
        "rules[0].verbs: Required value: verbs must contain at least one value",
        "rules[0].apiGroups: Required value: resource rules must supply at least one api group",
        "rules[0].resources: Required value: resource rules must supply at least one resource");
  }

  @Test
  void nonResourceUrlsOnlyInClusterRolesAndNotWithResources() {
    PolicyRule urls = PolicyRule.newBuilder().addVerbs("get").addNonResourceUrls("/healthz").build();
    assertThat(errors(Role.newBuilder().setMetadata(NS_META).addRules(urls).build())).containsExactly(
        "rules[0].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced rules cannot apply to non-resource URLs");
    ClusterRole mixed = ClusterRole.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("c"))
        .addRules(urls.toBuilder().addResources("pods")).build();
    assertThat(errors(mixed)).containsExactly("rules[0].nonResourceURLs: Invalid value: []string{\"/healthz\"}: "
        + "rules cannot apply to both regular resources and non-resource URLs");
  }

  @Test
  void namesAreUrlPathSegmentsSoSystemNamesAreValid() {
    ClusterRole ok = ClusterRole.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("system:kube-scheduler")).build();
    assertThat(errors(ok)).isEmpty();
    ClusterRole bad = ClusterRole.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("a/b%c")).build();
    assertThat(errors(bad)).containsExactly("metadata.name: Invalid value: \"a/b%c\": may not contain '/'",
        "metadata.name: Invalid value: \"a/b%c\": may not contain '%'");
  }

  @Test
  void aBindingIsDefaultedToTheRbacGroupAndItsRoleRefAndSubjectsAreChecked() {
    RoleBinding minimal = RoleBinding.newBuilder().setMetadata(NS_META)
        .setRoleRef(RoleRef.newBuilder().setKind("ClusterRole").setName("view"))
        .addSubjects(Subject.newBuilder().setKind("User").setName("jane"))
        .addSubjects(Subject.newBuilder().setKind("ServiceAccount").setName("default"))
        .build();
    RoleBinding defaulted = Defaulting.apply(minimal);
    assertThat(defaulted.getRoleRef().getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
    assertThat(defaulted.getSubjects(0).getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
    assertThat(defaulted.getSubjects(1).getApiGroup()).isEmpty();
    assertThat(errors(minimal)).isEmpty();

    RoleBinding bad = RoleBinding.newBuilder().setMetadata(NS_META)
        .setRoleRef(RoleRef.newBuilder().setApiGroup("apps").setKind("Deployment"))
        .addSubjects(Subject.newBuilder().setKind("Robot").setName("r2"))
        .addSubjects(Subject.newBuilder().setKind("Group"))
        .build();
    assertThat(errors(bad)).containsExactly(
        "roleRef.apiGroup: Unsupported value: \"apps\": supported values: \"rbac.authorization.k8s.io\"",
        "roleRef.kind: Unsupported value: \"Deployment\": supported values: \"Role\", \"ClusterRole\"",
        "roleRef.name: Required value",
        "subjects[0].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\"",
        "subjects[1].name: Required value");
  }

  @Test
  void aClusterRoleBindingBindsOnlyClusterRolesAndNamesServiceAccountNamespaces() {
    ClusterRoleBinding b = ClusterRoleBinding.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("b"))
        .setRoleRef(RoleRef.newBuilder().setKind("Role").setName("r"))
        .addSubjects(Subject.newBuilder().setKind("ServiceAccount").setName("sa"))
        .build();
    assertThat(errors(b)).containsExactly(
        "roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"",
        "subjects[0].namespace: Required value");
  }

  @Test
  void theRoleRefOfABindingNeverChanges() {
    RoleBinding old = Defaulting.apply(RoleBinding.newBuilder().setMetadata(NS_META.toBuilder().setUid("u")
            .setCreationTimestamp("2026-01-01T00:00:00Z").setResourceVersion("1"))
        .setRoleRef(RoleRef.newBuilder().setKind("ClusterRole").setName("view")).build());
    RoleBinding changed = old.toBuilder().setRoleRef(old.getRoleRef().toBuilder().setName("cluster-admin")).build();
    assertThat(Validation.validateUpdate(changed, old).stream().map(Object::toString)).containsExactly(
        "roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"ClusterRole\", "
            + "Name:\"cluster-admin\"}: cannot change roleRef");
  }
}
