package io.minik8s.apiserver.authz.rbac;

import io.minik8s.apiserver.authz.Attributes;
import io.minik8s.apiserver.authz.Authorizer;
import io.minik8s.apiserver.authz.Decision;

/**
 * The RBAC authorizer (Kubernetes' plugin/pkg/auth/authorizer/rbac/rbac.go): allows a request
 * when any rule the user holds in the request's namespace allows it; otherwise it has no opinion,
 * so a request no rule allows is refused by the chain. RBAC never denies outright.
 */
public final class RbacAuthorizer implements Authorizer {
  private final RuleResolver resolver;

  public RbacAuthorizer(RuleResolver resolver) {
    this.resolver = resolver;
  }

  @Override
  public Decision authorize(Attributes request) {
    if (request.user() == null) {
      return Decision.NO_OPINION;
    }
    boolean allowed = resolver.anyRule(request.user(), request.namespace(), r -> RuleMatcher.allows(r, request));
    return allowed ? Decision.ALLOW : Decision.NO_OPINION;
  }
}
