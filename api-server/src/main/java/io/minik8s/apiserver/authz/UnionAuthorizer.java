package io.minik8s.apiserver.authz;

import java.util.ArrayList;
import java.util.List;

/**
 * Authorizers asked in order until one allows or denies (Kubernetes'
 * plugin/pkg/authorizer/union): the chain of {@code --authorization-mode Node,RBAC}. When none has
 * an opinion the request is refused, with every reason given along the way.
 */
public final class UnionAuthorizer implements Authorizer {
  private final List<Authorizer> chain;

  public UnionAuthorizer(List<Authorizer> chain) {
    this.chain = List.copyOf(chain);
  }

  @Override
  public Decision authorize(Attributes request) {
    List<String> reasons = new ArrayList<>();
    for (Authorizer a : chain) {
      Decision d = a.authorize(request);
      if (d.kind() != Decision.Kind.NO_OPINION) {
        return d;
      }
      if (!d.reason().isEmpty()) {
        reasons.add(d.reason());
      }
    }
    return Decision.noOpinion(String.join(", ", reasons));
  }
}
