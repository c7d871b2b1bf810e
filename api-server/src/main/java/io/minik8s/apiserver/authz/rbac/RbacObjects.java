package io.minik8s.apiserver.authz.rbac;

import io.minik8s.api.ClusterRole;
import io.minik8s.api.ClusterRoleBinding;
import io.minik8s.api.Role;
import io.minik8s.api.RoleBinding;
import java.util.List;
import java.util.Optional;

/**
 * Where the RBAC authorizer reads roles and bindings: in the api-server, its watch caches (as
 * Kubernetes' authorizer reads informers), so deciding costs no etcd read; a grant takes effect
 * as soon as the cache has seen it, a few milliseconds after it was written.
 */
public interface RbacObjects {
  List<ClusterRoleBinding> clusterRoleBindings();

  List<RoleBinding> roleBindings(String namespace);

  Optional<ClusterRole> clusterRole(String name);

  Optional<Role> role(String namespace, String name);
}
