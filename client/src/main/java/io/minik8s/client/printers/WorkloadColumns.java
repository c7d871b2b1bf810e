package io.minik8s.client.printers;

import io.minik8s.api.ControllerRevision;
import io.minik8s.api.Deployment;
import io.minik8s.api.OwnerReference;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.StatefulSet;

/** Tables of the apps group: deployments, replica sets, stateful sets, controller revisions. */
public final class WorkloadColumns {
  private WorkloadColumns() {}

  /** {@code NAME READY UP-TO-DATE AVAILABLE AGE}; READY is ready/desired. */
  public static KindColumns<Deployment> deployments() {
    return KindColumns.of(Deployment.class)
        .name()
        .column("READY", d -> d.getStatus().getReadyReplicas() + "/" + desired(d.getSpec().hasReplicas(), d.getSpec().getReplicas()))
        .column("UP-TO-DATE", d -> Integer.toString(d.getStatus().getUpdatedReplicas()))
        .column("AVAILABLE", d -> Integer.toString(d.getStatus().getAvailableReplicas()))
        .age()
        .wide("CONTAINERS", d -> Format.containerNames(d.getSpec().getTemplate().getSpec().getContainersList()))
        .wide("IMAGES", d -> Format.images(d.getSpec().getTemplate().getSpec().getContainersList()))
        .wide("SELECTOR", d -> Format.selector(d.getSpec().getSelector()))
        .build();
  }

  /** {@code NAME DESIRED CURRENT READY AGE}. */
  public static KindColumns<ReplicaSet> replicaSets() {
    return KindColumns.of(ReplicaSet.class)
        .name()
        .column("DESIRED", r -> Integer.toString(desired(r.getSpec().hasReplicas(), r.getSpec().getReplicas())))
        .column("CURRENT", r -> Integer.toString(r.getStatus().getReplicas()))
        .column("READY", r -> Integer.toString(r.getStatus().getReadyReplicas()))
        .age()
        .wide("CONTAINERS", r -> Format.containerNames(r.getSpec().getTemplate().getSpec().getContainersList()))
        .wide("IMAGES", r -> Format.images(r.getSpec().getTemplate().getSpec().getContainersList()))
        .wide("SELECTOR", r -> Format.selector(r.getSpec().getSelector()))
        .build();
  }

  /** {@code NAME READY AGE}; READY is ready/desired. */
  public static KindColumns<StatefulSet> statefulSets() {
    return KindColumns.of(StatefulSet.class)
        .name()
        .column("READY", s -> s.getStatus().getReadyReplicas() + "/" + desired(s.getSpec().hasReplicas(), s.getSpec().getReplicas()))
        .age()
        .wide("CONTAINERS", s -> Format.containerNames(s.getSpec().getTemplate().getSpec().getContainersList()))
        .wide("IMAGES", s -> Format.images(s.getSpec().getTemplate().getSpec().getContainersList()))
        .build();
  }

  /** {@code NAME CONTROLLER REVISION AGE}; CONTROLLER is the owning controller as {@code statefulset.apps/web}. */
  public static KindColumns<ControllerRevision> controllerRevisions() {
    return KindColumns.of(ControllerRevision.class)
        .name()
        .column("CONTROLLER", WorkloadColumns::controller)
        .column("REVISION", c -> Long.toString(c.getRevision()))
        .age()
        .build();
  }

  private static String controller(ControllerRevision c) {
    for (OwnerReference o : c.getMetadata().getOwnerReferencesList()) {
      if (o.hasController() && o.getController()) {
        return Format.ownerRef(o.getApiVersion(), o.getKind(), o.getName());
      }
    }
    return Format.NONE;
  }

  /** Replicas the spec asks for; an unset count means one, as the api-server defaults it. */
  public static int desired(boolean set, int replicas) {
    return set ? replicas : 1;
  }
}
