package io.minik8s.apiserver.authz.node;

import io.minik8s.api.Pod;
import io.minik8s.api.PolicyRule;
import io.minik8s.apiserver.authz.Attributes;
import io.minik8s.apiserver.authz.Authorizer;
import io.minik8s.apiserver.authz.Decision;
import io.minik8s.apiserver.authz.rbac.RuleMatcher;
import io.minik8s.client.api.Resources;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The Node authorizer (Kubernetes' plugin/pkg/auth/authorizer/node/node_authorizer.go, with 1.32's
 * AuthorizeNodeWithSelectors): what a kubelet, user {@code system:node:<name>} in group
 * {@code system:nodes}, may do. It reads its own Node only, and the pods bound to it only: a get
 * of a pod bound elsewhere, or a list or watch of pods without the field selector
 * {@code spec.nodeName=<name>}, is refused. It may get, create, update and delete only its own
 * Lease in {@code kube-node-lease}. The rest comes from the static node rules below (Kubernetes'
 * bootstrappolicy NodeRules, trimmed to this API's kinds): read Services for the pods' environment
 * variables, write events, register and update Nodes, delete pods and write their status. Which
 * Node and which pods those writes may touch, only its own, is {@link NodeRestriction}'s check, as
 * in Kubernetes: the authorizer does not see the object of a write. Anything else is left to RBAC.
 */
public final class NodeAuthorizer implements Authorizer {
  static final List<PolicyRule> NODE_RULES = List.of(
      rule(List.of("get", "list", "watch"), "services"),
      rule(List.of("create", "update", "patch"), "events"),
      rule(List.of("create", "update", "patch"), "nodes"),
      rule(List.of("update", "patch"), "nodes/status"),
      rule(List.of("delete"), "pods"),
      rule(List.of("update", "patch"), "pods/status"),
      PolicyRule.newBuilder().addVerbs("create").addApiGroups("authorization.k8s.io")
          .addResources("selfsubjectaccessreviews").build());

  private final BiFunction<String, String, Optional<Pod>> pods;

  /** @param pods finds a stored pod by namespace and name, to tell whether it is bound to the asking node */
  public NodeAuthorizer(BiFunction<String, String, Optional<Pod>> pods) {
    this.pods = pods;
  }

  private static PolicyRule rule(List<String> verbs, String resource) {
    return PolicyRule.newBuilder().addAllVerbs(verbs).addApiGroups("").addResources(resource).build();
  }

  @Override
  public Decision authorize(Attributes a) {
    if (a.user() == null) {
      return Decision.NO_OPINION;
    }
    Optional<String> node = a.user().nodeName();
    if (node.isEmpty()) {
      return Decision.NO_OPINION;
    }
    String self = node.get();
    boolean read = a.verb().equals("get") || a.verb().equals("list") || a.verb().equals("watch");
    if (a.apiGroup().equals(Resources.LEASES.group()) && a.resource().equals("leases")) {
      return lease(self, a);
    }
    if (a.apiGroup().isEmpty() && a.resource().equals("nodes") && a.subresource().isEmpty() && read) {
      return a.name().equals(self) || onlySelected(a, "metadata.name=" + self) ? Decision.ALLOW
          : Decision.noOpinion("node '" + self + "' cannot read '" + (a.name().isEmpty() ? "all nodes" : a.name())
              + "', only its own Node object");
    }
    if (a.apiGroup().isEmpty() && a.resource().equals("pods") && a.subresource().isEmpty() && read) {
      return pod(self, a);
    }
    return RuleMatcher.anyAllows(NODE_RULES, a) ? Decision.ALLOW : Decision.NO_OPINION;
  }

  private Decision pod(String self, Attributes a) {
    if (a.verb().equals("get")) {
      boolean bound = pods.apply(a.namespace(), a.name()).map(p -> p.getSpec().getNodeName().equals(self)).orElse(false);
      return bound ? Decision.ALLOW
          : Decision.noOpinion("no relationship found between node '" + self + "' and this object");
    }
    return onlySelected(a, "spec.nodeName=" + self) ? Decision.ALLOW
        : Decision.noOpinion("can only list/watch pods with spec.nodeName field selector");
  }

  /** A list or watch whose field selector holds {@code required} among its terms: it can only return those objects. */
  private static boolean onlySelected(Attributes a, String required) {
    if (a.verb().equals("get")) {
      return false;
    }
    for (String term : a.fieldSelector().split(",")) {
      String t = term.strip().replace("==", "=");
      if (t.equals(required)) {
        return true;
      }
    }
    return false;
  }

  /** Kubernetes' authorizeLease: its own Lease in kube-node-lease (on create the name is NodeRestriction's to check). */
  private static Decision lease(String self, Attributes a) {
    if (!List.of("get", "create", "update", "patch", "delete").contains(a.verb())) {
      return Decision.noOpinion("can only get, create, update, patch, or delete a node lease");
    }
    if (!a.namespace().equals("kube-node-lease")) {
      return Decision.noOpinion("can only access leases in the \"kube-node-lease\" system namespace");
    }
    if (!a.verb().equals("create") && !a.name().equals(self)) {
      return Decision.noOpinion("can only access node lease with the same name as the requesting node");
    }
    return Decision.ALLOW;
  }
}
