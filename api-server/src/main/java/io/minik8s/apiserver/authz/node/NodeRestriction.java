package io.minik8s.apiserver.authz.node;

import com.google.protobuf.Message;
import io.minik8s.api.Lease;
import io.minik8s.api.Node;
import io.minik8s.api.Pod;
import io.minik8s.apiserver.auth.UserInfo;
import io.minik8s.apiserver.authz.Forbidden;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The NodeRestriction admission plugin (Kubernetes' plugin/pkg/admission/noderestriction): the
 * Node authorizer lets a kubelet write Nodes, pod statuses and Leases, and this narrows those
 * writes to its own. A kubelet may create and update only its own Node, create only its own Lease,
 * and update the status of and delete only pods bound to it. Runs after authorization, on the
 * object written and, for pods, the one stored.
 */
public final class NodeRestriction {
  private final BiFunction<String, String, Optional<Pod>> pods;

  /** @param pods finds a stored pod by namespace and name */
  public NodeRestriction(BiFunction<String, String, Optional<Pod>> pods) {
    this.pods = pods;
  }

  /** Checks a create, update or status update of {@code obj} by {@code user}; refuses with Forbidden. */
  public void admitWrite(UserInfo user, Message obj, boolean status) {
    Optional<String> node = user == null ? Optional.empty() : user.nodeName();
    if (node.isEmpty()) {
      return;
    }
    String self = node.get();
    String name = KubeObjects.meta(obj).getName();
    switch (obj) {
      case Node n when !name.equals(self) -> throw Forbidden.forbidden(Resources.NODES.qualifiedResource(), name,
          "node \"" + self + "\" is not allowed to modify node \"" + name + "\"");
      case Lease l when !name.equals(self) -> throw Forbidden.forbidden(Resources.LEASES.qualifiedResource(), name,
          "can only access node lease with the same name as the requesting node");
      case Pod p when status -> requireBound(self, p.getMetadata().getNamespace(), name,
          "can only update pod status for pods with spec.nodeName set to itself");
      case Pod p -> throw Forbidden.forbidden(Resources.PODS.qualifiedResource(), name,
          "node \"" + self + "\" can only update pod status for pods with spec.nodeName set to itself");
      default -> { }
    }
  }

  /** Checks a delete by {@code user}: a kubelet deletes only pods bound to it. */
  public void admitDelete(UserInfo user, ResourceType type, String namespace, String name) {
    Optional<String> node = user == null ? Optional.empty() : user.nodeName();
    if (node.isPresent() && type == Resources.PODS) {
      requireBound(node.get(), namespace, name, "can only delete pods with spec.nodeName set to itself");
    }
  }

  private void requireBound(String self, String namespace, String name, String rule) {
    boolean bound = pods.apply(namespace, name).map(p -> p.getSpec().getNodeName().equals(self)).orElse(true);
    // A pod that does not exist is left to the registry, which answers NotFound as Kubernetes does.
    if (!bound) {
      throw Forbidden.forbidden(Resources.PODS.qualifiedResource(), name, "node \"" + self + "\" " + rule);
    }
  }
}
