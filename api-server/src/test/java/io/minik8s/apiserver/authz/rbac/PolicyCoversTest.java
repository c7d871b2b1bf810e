package io.minik8s.apiserver.authz.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.PolicyRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Escalation prevention's comparison: does one set of rules hold every permission of another? */
class PolicyCoversTest {
  private static final PolicyRule ALL = rule(List.of("*"), List.of("*"), List.of("*"));

  private static PolicyRule rule(List<String> verbs, List<String> groups, List<String> resources) {
    return BootstrapPolicy.rule(verbs, groups, resources);
  }

  @Test
  void everythingCoversAnything() {
    assertThat(PolicyCovers.uncovered(List.of(ALL), List.of(rule(List.of("get", "bind"), List.of("apps"),
        List.of("deployments/scale"))))).isEmpty();
  }

  @Test
  void editDoesNotCoverClusterAdminAndSaysWhatIsMissing() {
    List<PolicyRule> edit = BootstrapPolicy.clusterRoles().stream().filter(r -> r.getMetadata().getName().equals("edit"))
        .findFirst().orElseThrow().getRulesList();
    List<PolicyRule> missing = PolicyCovers.uncovered(edit, List.of(ALL));
    assertThat(missing).isNotEmpty();
    assertThat(PolicyCovers.describe(missing)).containsExactly("{APIGroups:[\"*\"], Resources:[\"*\"], Verbs:[\"*\"]}");
  }

  @Test
  void viewIsCoveredByEditAndEditByAdmin() {
    var roles = BootstrapPolicy.clusterRoles();
    List<PolicyRule> view = rulesOf(roles, "view");
    List<PolicyRule> edit = rulesOf(roles, "edit");
    List<PolicyRule> admin = rulesOf(roles, "admin");
    assertThat(PolicyCovers.uncovered(edit, view)).isEmpty();
    assertThat(PolicyCovers.uncovered(admin, edit)).isEmpty();
    assertThat(PolicyCovers.uncovered(view, edit)).isNotEmpty();
  }

  @Test
  void aStarSubresourceCoversThatSubresourceOfEachResourceOnly() {
    PolicyRule status = rule(List.of("update"), List.of(""), List.of("*/status"));
    assertThat(PolicyCovers.uncovered(List.of(status), List.of(rule(List.of("update"), List.of(""), List.of("pods/status")))))
        .isEmpty();
    assertThat(PolicyCovers.uncovered(List.of(status), List.of(rule(List.of("update"), List.of(""), List.of("pods")))))
        .hasSize(1);
  }

  @Test
  void namedPermissionsDoNotCoverUnnamedOnes() {
    PolicyRule oneNode = rule(List.of("get"), List.of(""), List.of("nodes")).toBuilder().addResourceNames("n1").build();
    PolicyRule anyNode = rule(List.of("get"), List.of(""), List.of("nodes"));
    assertThat(PolicyCovers.uncovered(List.of(oneNode), List.of(anyNode))).hasSize(1);
    assertThat(PolicyCovers.uncovered(List.of(anyNode), List.of(oneNode))).isEmpty();
  }

  @Test
  void missingVerbsOfOneResourceArePrintedTogether() {
    PolicyRule get = rule(List.of("get"), List.of(""), List.of("pods"));
    List<PolicyRule> missing = PolicyCovers.uncovered(List.of(get),
        List.of(rule(List.of("get", "create", "delete"), List.of(""), List.of("pods"))));
    assertThat(PolicyCovers.describe(missing)).containsExactly("{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"create\" \"delete\"]}");
  }

  private static List<PolicyRule> rulesOf(List<io.minik8s.api.ClusterRole> roles, String name) {
    return roles.stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst().orElseThrow().getRulesList();
  }
}
