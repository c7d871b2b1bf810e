package io.minik8s.apiserver.authz;

import io.minik8s.apiserver.auth.UserInfo;

/**
 * Members of {@code system:masters} may do anything, before any other authorizer is asked
 * (Kubernetes' authorizerfactory.NewPrivilegedGroups, first in every chain): the cluster admin
 * keeps access even when the RBAC objects are broken or not yet created.
 */
public final class PrivilegedGroupAuthorizer implements Authorizer {
  @Override
  public Decision authorize(Attributes request) {
    return request.user() != null && request.user().groups().contains(UserInfo.MASTERS)
        ? Decision.ALLOW : Decision.NO_OPINION;
  }
}
