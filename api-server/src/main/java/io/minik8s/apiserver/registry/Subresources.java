package io.minik8s.apiserver.registry;

import com.google.protobuf.Message;
import io.minik8s.api.Binding;
import io.minik8s.api.Deployment;
import io.minik8s.api.LabelSelector;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.Scale;
import io.minik8s.api.ScaleSpec;
import io.minik8s.api.ScaleStatus;
import io.minik8s.api.StatefulSet;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import io.minik8s.client.labels.Selector;

/**
 * The {@code binding} subresource of pods and the {@code scale} subresource of the apps kinds.
 *
 * <p>Mirrors Kubernetes' pkg/registry/core/pod/storage/storage.go (BindingREST) and pkg/registry/apps/deployment/storage/storage.go (ScaleREST).
 */
public final class Subresources {
  private final Registry registry;

  public Subresources(Registry registry) {
    this.registry = registry;
  }

  /** Sets spec.nodeName once, and the PodScheduled condition, as Kubernetes' binding does. */
  public void bind(Binding binding) {
    String name = binding.getMetadata().getName();
    String node = binding.getTarget().getName();
    if (node.isEmpty()) {
      throw ApiException.invalid("Binding \"" + name + "\" is invalid: target.name: Required value");
    }
    registry.guaranteedUpdate(Resources.PODS, binding.getMetadata().getNamespace(), name, current -> {
      Pod pod = (Pod) current;
      if (!binding.getMetadata().getUid().isEmpty() && !binding.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
        throw ApiException.conflict(Resources.PODS, name, "Precondition failed: UID in precondition: "
            + binding.getMetadata().getUid() + ", UID in object meta: " + pod.getMetadata().getUid());
      }
      if (!pod.getMetadata().getDeletionTimestamp().isEmpty()) {
        throw ApiException.conflict(Resources.PODS, name, "pod " + name + " is being deleted, cannot be assigned to a host");
      }
      if (!pod.getSpec().getNodeName().isEmpty()) {
        throw ApiException.conflict(Resources.PODS, name,
            "pod " + name + " is already assigned to node \"" + pod.getSpec().getNodeName() + "\"");
      }
      Pod.Builder b = pod.toBuilder();
      b.getSpecBuilder().setNodeName(node);
      b.getStatusBuilder().clearConditions()
          .addAllConditions(pod.getStatus().getConditionsList().stream()
              .filter(c -> !c.getType().equals("PodScheduled")).toList())
          .addConditions(PodCondition.newBuilder()
          .setType("PodScheduled").setStatus("True").setLastTransitionTime(registry.now()));
      return b.build();
    });
  }

  public Scale getScale(ResourceType type, String namespace, String name) {
    return toScale(registry.get(scalable(type), namespace, name));
  }

  public Scale updateScale(ResourceType type, Scale scale) {
    ResourceType t = scalable(type);
    ObjectMeta meta = scale.getMetadata();
    if (scale.getSpec().getReplicas() < 0) {
      throw ApiException.invalid("Scale.autoscaling \"" + meta.getName()
          + "\" is invalid: spec.replicas: Invalid value: " + scale.getSpec().getReplicas()
          + ": must be greater than or equal to 0");
    }
    Message current = registry.get(t, meta.getNamespace(), meta.getName());
    if (!meta.getResourceVersion().isEmpty()
        && !meta.getResourceVersion().equals(KubeObjects.meta(current).getResourceVersion())) {
      throw ApiException.modified(t, meta.getName());
    }
    return toScale(registry.update(withReplicas(current, scale.getSpec().getReplicas()), false));
  }

  private static ResourceType scalable(ResourceType type) {
    if (type != Resources.DEPLOYMENTS && type != Resources.REPLICA_SETS && type != Resources.STATEFUL_SETS) {
      throw ApiException.badRequest("the server could not find the requested resource (scale of " + type.resource() + ")");
    }
    return type;
  }

  private static Message withReplicas(Message obj, int replicas) {
    if (obj instanceof Deployment d) {
      return d.toBuilder().setSpec(d.getSpec().toBuilder().setReplicas(replicas)).build();
    }
    if (obj instanceof ReplicaSet rs) {
      return rs.toBuilder().setSpec(rs.getSpec().toBuilder().setReplicas(replicas)).build();
    }
    StatefulSet s = (StatefulSet) obj;
    return s.toBuilder().setSpec(s.getSpec().toBuilder().setReplicas(replicas)).build();
  }

  private static Scale toScale(Message obj) {
    int want;
    int have;
    LabelSelector selector;
    if (obj instanceof Deployment d) {
      want = d.getSpec().getReplicas();
      have = d.getStatus().getReplicas();
      selector = d.getSpec().getSelector();
    } else if (obj instanceof ReplicaSet rs) {
      want = rs.getSpec().getReplicas();
      have = rs.getStatus().getReplicas();
      selector = rs.getSpec().getSelector();
    } else {
      StatefulSet s = (StatefulSet) obj;
      want = s.getSpec().getReplicas();
      have = s.getStatus().getReplicas();
      selector = s.getSpec().getSelector();
    }
    ObjectMeta m = KubeObjects.meta(obj);
    return Scale.newBuilder()
        .setApiVersion("autoscaling/v1").setKind("Scale")
        .setMetadata(ObjectMeta.newBuilder().setName(m.getName()).setNamespace(m.getNamespace())
            .setUid(m.getUid()).setResourceVersion(m.getResourceVersion()).setCreationTimestamp(m.getCreationTimestamp()))
        .setSpec(ScaleSpec.newBuilder().setReplicas(want))
        .setStatus(ScaleStatus.newBuilder().setReplicas(have).setSelector(Selector.from(selector).toString()))
        .build();
  }
}
