package io.minik8s.apiserver.registry;

import com.google.protobuf.Message;
import io.minik8s.api.CertificateSigningRequest;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.PersistentVolumeClaim;
import io.minik8s.api.Pod;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.Deployment;
import io.minik8s.api.StatefulSet;
import io.minik8s.client.api.KubeObjects;

/**
 * What differs between kinds on create and update (Kubernetes' "RESTCreateStrategy" and
 * "RESTUpdateStrategy"): which parts a client may set through which verb.
 *
 * <p>Mirrors the strategies of Kubernetes' registry, for example pkg/registry/core/pod/strategy.go.
 */
final class Strategies {
  private Strategies() {}

  /** A new object's status is the server's to fill: controllers start from an empty one. */
  static Message prepareForCreate(Message obj) {
    if (obj instanceof Pod p) {
      return p.toBuilder().setStatus(p.getStatus().toBuilder()
          .setPhase(p.getStatus().getPhase().isEmpty() ? "Pending" : p.getStatus().getPhase())).build();
    }
    if (obj instanceof ReplicaSet rs) {
      return rs.toBuilder().clearStatus().build();
    }
    if (obj instanceof Deployment d) {
      return d.toBuilder().clearStatus().build();
    }
    if (obj instanceof StatefulSet s) {
      return s.toBuilder().clearStatus().build();
    }
    if (obj instanceof CertificateSigningRequest csr) {
      return csr.toBuilder().clearStatus().build();
    }
    if (obj instanceof PersistentVolumeClaim c) {
      return c.toBuilder().setStatus(c.getStatus().toBuilder().setPhase("Pending")).build();
    }
    return obj;
  }

  /**
   * An update through the main resource changes spec and metadata, never status; the fields the
   * server owns (uid, creation and deletion times, generation) keep their stored values.
   */
  static Message prepareForUpdate(Message obj, Message old) {
    Message out = KubeObjects.copySection(obj, old, "status");
    return KubeObjects.withMeta(out, serverOwnedMeta(KubeObjects.meta(obj), KubeObjects.meta(old)));
  }

  /** An update through the status subresource changes status only. */
  static Message prepareForStatusUpdate(Message obj, Message old) {
    Message out = KubeObjects.copySection(old, obj, "status");
    ObjectMeta meta = KubeObjects.meta(old).toBuilder()
        .setResourceVersion(KubeObjects.meta(obj).getResourceVersion()).build();
    return KubeObjects.withMeta(out, meta);
  }

  static ObjectMeta serverOwnedMeta(ObjectMeta requested, ObjectMeta old) {
    ObjectMeta.Builder b = requested.toBuilder()
        .setUid(old.getUid())
        .setCreationTimestamp(old.getCreationTimestamp())
        .setGeneration(old.getGeneration())
        .setDeletionTimestamp(old.getDeletionTimestamp())
        .setGenerateName(old.getGenerateName());
    if (old.hasDeletionGracePeriodSeconds()) {
      b.setDeletionGracePeriodSeconds(old.getDeletionGracePeriodSeconds());
    } else {
      b.clearDeletionGracePeriodSeconds();
    }
    return b.build();
  }

  /** Whether a change from old to obj is a change of the desired state, which bumps generation. */
  static boolean specChanged(Message obj, Message old) {
    Message a = KubeObjects.section(obj, "spec");
    if (a == null) {
      // Kinds without a spec (ControllerRevision, Endpoints, Event): any content change counts.
      Message x = KubeObjects.withMeta(obj, ObjectMeta.getDefaultInstance());
      Message y = KubeObjects.withMeta(old, ObjectMeta.getDefaultInstance());
      return !x.equals(y);
    }
    return !a.equals(KubeObjects.section(old, "spec"));
  }
}
