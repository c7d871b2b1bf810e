package io.minik8s.apiserver.authz.rbac;

import io.minik8s.api.ClusterRole;
import io.minik8s.api.ClusterRoleBinding;
import io.minik8s.api.Role;
import io.minik8s.api.RoleBinding;
import io.minik8s.apiserver.registry.ObjectCodec;
import io.minik8s.apiserver.watch.WatchCaches;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import java.util.List;
import java.util.Optional;

/** Roles and bindings as the api-server's watch caches hold them (Kubernetes' RBAC authorizer reads its informers). */
public final class CachedRbacObjects implements RbacObjects {
  private final WatchCaches caches;

  public CachedRbacObjects(WatchCaches caches) {
    this.caches = caches;
  }

  @Override
  public List<ClusterRoleBinding> clusterRoleBindings() {
    return list(Resources.CLUSTER_ROLE_BINDINGS, "");
  }

  @Override
  public List<RoleBinding> roleBindings(String namespace) {
    return list(Resources.ROLE_BINDINGS, namespace);
  }

  @Override
  public Optional<ClusterRole> clusterRole(String name) {
    return find(Resources.CLUSTER_ROLES, "", name);
  }

  @Override
  public Optional<Role> role(String namespace, String name) {
    return find(Resources.ROLES, namespace, name);
  }

  @SuppressWarnings("unchecked")
  private <T> List<T> list(ResourceType type, String namespace) {
    return (List<T>) caches.cache(type).objects(ObjectCodec.prefix(type, namespace));
  }

  @SuppressWarnings("unchecked")
  private <T> Optional<T> find(ResourceType type, String namespace, String name) {
    return Optional.ofNullable((T) caches.cache(type).object(ObjectCodec.key(type, namespace, name)));
  }
}
