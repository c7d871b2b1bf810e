package io.minik8s.apiserver.authz;

import io.minik8s.api.Pod;
import io.minik8s.apiserver.authz.node.NodeAuthorizer;
import io.minik8s.apiserver.authz.node.NodeRestriction;
import io.minik8s.apiserver.authz.rbac.EscalationCheck;
import io.minik8s.apiserver.authz.rbac.RbacAuthorizer;
import io.minik8s.apiserver.authz.rbac.RbacObjects;
import io.minik8s.apiserver.authz.rbac.RuleResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Builds the authorizer chain of {@code --authorization-mode} (Kubernetes'
 * pkg/kubeapiserver/authorizer/config.go): {@code system:masters} first, then the modes in the
 * order given. {@code Node,RBAC} is the default once authentication is on; {@code AlwaysAllow},
 * development mode's, allows everything and checks no escalation or node restriction either.
 */
public final class AuthorizationModes {
  public static final String ALWAYS_ALLOW = "AlwaysAllow";
  public static final String NODE = "Node";
  public static final String RBAC = "RBAC";
  public static final List<String> SUPPORTED = List.of(ALWAYS_ALLOW, NODE, RBAC);

  private AuthorizationModes() {}

  /** The modes to use: those given, else Node,RBAC with authentication and AlwaysAllow without. */
  public static List<String> effective(List<String> given, boolean authenticationOn) {
    if (given != null && !given.isEmpty()) {
      for (String m : given) {
        if (!SUPPORTED.contains(m)) {
          throw new IllegalArgumentException("--authorization-mode: unknown mode \"" + m + "\"; supported: "
              + String.join(", ", SUPPORTED));
        }
      }
      return List.copyOf(given);
    }
    return authenticationOn ? List.of(NODE, RBAC) : List.of(ALWAYS_ALLOW);
  }

  public static AccessControl build(List<String> modes, RbacObjects rbacObjects,
                                    BiFunction<String, String, Optional<Pod>> pods) {
    if (modes.contains(ALWAYS_ALLOW)) {
      return new AccessControl(Authorizer.ALWAYS_ALLOW, null, null);
    }
    List<Authorizer> chain = new ArrayList<>();
    chain.add(new PrivilegedGroupAuthorizer());
    RuleResolver resolver = new RuleResolver(rbacObjects);
    for (String m : modes) {
      chain.add(m.equals(NODE) ? new NodeAuthorizer(pods) : new RbacAuthorizer(resolver));
    }
    Authorizer union = new UnionAuthorizer(chain);
    return new AccessControl(union, modes.contains(NODE) ? new NodeRestriction(pods) : null,
        modes.contains(RBAC) ? new EscalationCheck(resolver, union) : null);
  }
}
