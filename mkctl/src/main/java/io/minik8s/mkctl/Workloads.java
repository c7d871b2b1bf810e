package io.minik8s.mkctl;

import com.google.protobuf.Message;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.api.Deployment;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.StatefulSet;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/** The workload helpers of rollout and set: one named target, its pod template, read-modify-write. */
final class Workloads {
  static final String REVISION = "deployment.kubernetes.io/revision";
  static final String POD_TEMPLATE_HASH = "pod-template-hash";

  record Ref(ResourceType type, String name) {
    String display() {
      return type.qualifiedSingular() + "/" + name;
    }
  }

  private Workloads() {}

  /** The single {@code TYPE/NAME} or {@code TYPE NAME} argument, of one of the allowed kinds. */
  static Ref one(List<String> args, Set<ResourceType> allowed, String verb) {
    List<ResourceArgs.Target> targets = ResourceArgs.parse(args);
    if (targets.size() != 1 || targets.get(0).names().size() != 1) {
      throw new MkctlException("required resource not specified, give exactly one TYPE/NAME");
    }
    ResourceType type = targets.get(0).type();
    if (!allowed.contains(type)) {
      throw new MkctlException("no " + verb + " for " + type.qualifiedResource());
    }
    return new Ref(type, targets.get(0).names().get(0));
  }

  static PodTemplateSpec template(Message obj) {
    return switch (obj) {
      case Deployment d -> d.getSpec().getTemplate();
      case StatefulSet s -> s.getSpec().getTemplate();
      case ReplicaSet r -> r.getSpec().getTemplate();
      default -> throw new MkctlException("no pod template in " + Resources.of(obj).kind());
    };
  }

  static Message withTemplate(Message obj, PodTemplateSpec t) {
    return switch (obj) {
      case Deployment d -> d.toBuilder().setSpec(d.getSpec().toBuilder().setTemplate(t)).build();
      case StatefulSet s -> s.toBuilder().setSpec(s.getSpec().toBuilder().setTemplate(t)).build();
      case ReplicaSet r -> r.toBuilder().setSpec(r.getSpec().toBuilder().setTemplate(t)).build();
      default -> throw new MkctlException("no pod template in " + Resources.of(obj).kind());
    };
  }

  /** Get, change, update; again on a conflict (someone else wrote in between), as kubectl's patch would not care. */
  static Message update(MkctlContext ctx, Ref ref, UnaryOperator<Message> change) {
    for (int attempt = 0; ; attempt++) {
      Message current = ctx.cluster().get(ref.type(), ctx.namespace(), ref.name());
      Message next = change.apply(current);
      if (next == null || next.equals(current)) {
        return current;
      }
      try {
        return ctx.cluster().update(next);
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.ABORTED || attempt >= 5) {
          throw e;
        }
      }
    }
  }

  /** The ReplicaSets a Deployment controls, oldest revision first. */
  static List<ReplicaSet> replicaSetsOf(MkctlContext ctx, Deployment d) {
    String uid = d.getMetadata().getUid();
    return ctx.cluster().list(Resources.REPLICA_SETS, ctx.namespace(), "", "").items().stream()
        .map(m -> (ReplicaSet) m)
        .filter(rs -> rs.getMetadata().getOwnerReferencesList().stream()
            .anyMatch(r -> r.getUid().equals(uid) && r.hasController() && r.getController()))
        .sorted(Comparator.comparingLong(Workloads::revision))
        .toList();
  }

  static long revision(Message obj) {
    try {
      return Long.parseLong(KubeObjects.meta(obj).getAnnotationsOrDefault(REVISION, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
