package io.minik8s.apiserver;

import com.google.protobuf.Message;
import io.minik8s.apiserver.authz.rbac.BootstrapPolicy;
import io.minik8s.apiserver.registry.Registry;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes' "rbac/bootstrap-roles" post-start hook (pkg/registry/rbac/rest/storage_rbac.go):
 * creates the default ClusterRoles and ClusterRoleBindings that are missing, and brings those that
 * exist back to their default content unless their {@code rbac.authorization.kubernetes.io/autoupdate}
 * annotation says "false" (an administrator's own change to a default role is then kept).
 */
final class RbacBootstrap {
  private static final Logger log = LoggerFactory.getLogger(RbacBootstrap.class);

  private RbacBootstrap() {}

  static void ensure(Registry registry) {
    List<Message> wanted = new ArrayList<>(BootstrapPolicy.clusterRoles());
    wanted.addAll(BootstrapPolicy.clusterRoleBindings());
    for (Message obj : wanted) {
      ResourceType type = Resources.of(obj);
      String name = KubeObjects.meta(obj).getName();
      var existing = registry.find(type, "", name);
      if (existing.isEmpty()) {
        try {
          registry.create(obj, false);
          log.info("created {} {}", type.resource(), name);
        } catch (RuntimeException e) {
          // another api-server made it at the same moment
          log.debug("creating {} {}: {}", type.resource(), name, e.toString());
        }
        continue;
      }
      Message current = existing.get();
      if ("false".equals(KubeObjects.meta(current).getAnnotationsMap().get(BootstrapPolicy.AUTOUPDATE))) {
        continue;
      }
      Message reconciled = KubeObjects.withMeta(obj, KubeObjects.meta(current).toBuilder()
          .putAllLabels(KubeObjects.meta(obj).getLabelsMap()).putAllAnnotations(KubeObjects.meta(obj).getAnnotationsMap())
          .build());
      if (!sameContent(reconciled, current)) {
        try {
          registry.update(reconciled, false);
          log.info("reconciled {} {} to its default", type.resource(), name);
        } catch (RuntimeException e) {
          log.warn("reconciling {} {}: {}", type.resource(), name, e.toString());
        }
      }
    }
  }

  /** {@code reconciled} carries the stored metadata, so this compares the rules (or subjects and roleRef). */
  private static boolean sameContent(Message reconciled, Message current) {
    return KubeObjects.withTypeMeta(reconciled).equals(KubeObjects.withTypeMeta(current));
  }
}
