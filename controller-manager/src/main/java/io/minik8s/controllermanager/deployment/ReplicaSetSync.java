package io.minik8s.controllermanager.deployment;

import static io.minik8s.controllermanager.deployment.DeploymentUtil.POD_TEMPLATE_HASH;
import static io.minik8s.controllermanager.deployment.DeploymentUtil.REVISION;

import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentStatus;
import io.minik8s.api.LabelSelector;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.ReplicaSetSpec;
import io.minik8s.client.api.Resources;
import io.minik8s.controllermanager.controller.ControllerClient;
import io.minik8s.controllermanager.controller.Errors;
import io.minik8s.controllermanager.controller.Hashing;
import io.minik8s.controllermanager.controller.OwnerRefs;
import io.minik8s.controllermanager.controller.Recorder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Deployment's ReplicaSets as the strategies see them (Kubernetes' pkg/controller/deployment/sync.go): finding
 * or creating the set of the current template and numbering revisions, scaling a set with its
 * desired/max-replicas annotations and a ScalingReplicaSet event, and deleting the old sets
 * beyond revisionHistoryLimit.
 */
final class ReplicaSetSync {
  private final ControllerClient client;
  private final Recorder recorder;
  private final Clock clock;

  ReplicaSetSync(ControllerClient client, Recorder recorder, Clock clock) {
    this.client = client;
    this.recorder = recorder;
    this.clock = clock;
  }

  /** Kubernetes' getAllReplicaSetsAndSyncRevision: finds (or creates) the new set and numbers revisions. */
  DeploymentController.Rollout rollout(Deployment d, List<ReplicaSet> owned, boolean create) {
    List<ReplicaSet> sorted = owned.stream().sorted(Comparator.comparing(rs -> rs.getMetadata().getCreationTimestamp())).toList();
    ReplicaSet newRS = sorted.stream()
        .filter(rs -> DeploymentUtil.equalIgnoreHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate()))
        .findFirst().orElse(null);
    List<ReplicaSet> old = new ArrayList<>(sorted);
    old.remove(newRS);
    long newRevision = DeploymentUtil.maxRevision(old) + 1;
    DeploymentStatus.Builder base = d.getStatus().toBuilder();
    if (newRS != null) {
      if (DeploymentUtil.revision(newRS) < newRevision) {
        ReplicaSet.Builder b = newRS.toBuilder();
        b.getMetadataBuilder().putAllAnnotations(copiedAnnotations(d)).putAnnotations(REVISION, Long.toString(newRevision));
        newRS = client.update(b.build());
      }
      if (DeploymentUtil.condition(base.build(), DeploymentProgress.PROGRESSING).isEmpty()) {
        DeploymentUtil.setCondition(base, DeploymentProgress.condition(DeploymentProgress.PROGRESSING, "True",
            DeploymentProgress.FOUND_NEW_RS, "Found new replica set \"" + newRS.getMetadata().getName() + "\"", clock.instant()));
      }
    } else if (create) {
      newRS = createNewReplicaSet(d, old, newRevision);
      DeploymentUtil.setCondition(base, DeploymentProgress.condition(DeploymentProgress.PROGRESSING, "True",
          DeploymentProgress.NEW_RS_CREATED, "Created new replica set \"" + newRS.getMetadata().getName() + "\"", clock.instant()));
    }
    Deployment current = d;
    if (newRS != null) {
      String revision = newRS.getMetadata().getAnnotationsOrDefault(REVISION, Long.toString(newRevision));
      if (!revision.equals(d.getMetadata().getAnnotationsOrDefault(REVISION, ""))) {
        Deployment.Builder b = d.toBuilder();
        b.getMetadataBuilder().putAnnotations(REVISION, revision);
        current = client.update(b.build());
      }
    }
    List<ReplicaSet> all = new ArrayList<>(old);
    if (newRS != null) {
      all.add(newRS);
    }
    return new DeploymentController.Rollout(current, all, newRS, old, base.build());
  }

  private ReplicaSet createNewReplicaSet(Deployment d, List<ReplicaSet> old, long revision) {
    int collisions = d.getStatus().hasCollisionCount() ? d.getStatus().getCollisionCount() : 0;
    String hash = Hashing.templateHash(DeploymentUtil.withoutHash(d.getSpec().getTemplate()), collisions);
    PodTemplateSpec.Builder template = d.getSpec().getTemplate().toBuilder();
    template.getMetadataBuilder().putLabels(POD_TEMPLATE_HASH, hash);
    LabelSelector.Builder selector = d.getSpec().getSelector().toBuilder().putMatchLabels(POD_TEMPLATE_HASH, hash);
    ReplicaSet rs = ReplicaSet.newBuilder()
        .setMetadata(ObjectMeta.newBuilder()
            .setNamespace(d.getMetadata().getNamespace())
            .setName(d.getMetadata().getName() + "-" + hash)
            .putAllLabels(template.getMetadata().getLabelsMap())
            .putAllAnnotations(copiedAnnotations(d))
            .putAnnotations(REVISION, Long.toString(revision))
            .addOwnerReferences(OwnerRefs.controllerRef(d)))
        .setSpec(ReplicaSetSpec.newBuilder().setReplicas(0).setMinReadySeconds(d.getSpec().getMinReadySeconds())
            .setSelector(selector).setTemplate(template))
        .build();
    List<ReplicaSet> all = new ArrayList<>(old);
    all.add(rs);
    int replicas = DeploymentUtil.newRSNewReplicas(d, all, rs);
    rs = rs.toBuilder().setSpec(rs.getSpec().toBuilder().setReplicas(replicas)).build();
    rs = withScaleAnnotations(d, rs);
    try {
      ReplicaSet created = client.create(rs);
      if (replicas > 0) {
        recorder.event(d, Recorder.NORMAL, "ScalingReplicaSet",
            "Scaled up replica set " + created.getMetadata().getName() + " from 0 to " + replicas);
      }
      return created;
    } catch (RuntimeException e) {
      if (!Errors.isAlreadyExists(e)) {
        throw e;
      }
      Optional<ReplicaSet> existing = client.find(Resources.REPLICA_SETS, d.getMetadata().getNamespace(), rs.getMetadata().getName());
      if (existing.isPresent() && OwnerRefs.isControlledBy(existing.get().getMetadata(), d)
          && DeploymentUtil.equalIgnoreHash(existing.get().getSpec().getTemplate(), d.getSpec().getTemplate())) {
        return existing.get();
      }
      // A different set holds the name: count the collision so the next hash differs.
      client.updateStatus(d.toBuilder().setStatus(d.getStatus().toBuilder().setCollisionCount(collisions + 1)).build());
      throw e;
    }
  }

  /** The deployment's annotations the sets carry (change-cause, for rollout history), not kubectl's bookkeeping. */
  private static Map<String, String> copiedAnnotations(Deployment d) {
    Map<String, String> out = new java.util.HashMap<>(d.getMetadata().getAnnotationsMap());
    out.remove(REVISION);
    out.remove("kubectl.kubernetes.io/last-applied-configuration");
    return out;
  }

  private ReplicaSet withScaleAnnotations(Deployment d, ReplicaSet rs) {
    ReplicaSet.Builder b = rs.toBuilder();
    b.getMetadataBuilder()
        .putAnnotations(DeploymentUtil.DESIRED_REPLICAS, Integer.toString(d.getSpec().getReplicas()))
        .putAnnotations(DeploymentUtil.MAX_REPLICAS, Integer.toString(d.getSpec().getReplicas() + DeploymentUtil.maxSurge(d)));
    return b.build();
  }

  void scale(Deployment d, ReplicaSet rs, int replicas) {
    int from = rs.getSpec().getReplicas();
    ReplicaSet next = withScaleAnnotations(d, rs.toBuilder().setSpec(rs.getSpec().toBuilder().setReplicas(replicas)).build());
    if (next.equals(rs)) {
      return;
    }
    client.update(next);
    if (from != replicas) {
      recorder.event(d, Recorder.NORMAL, "ScalingReplicaSet", "Scaled " + (replicas > from ? "up" : "down")
          + " replica set " + rs.getMetadata().getName() + " from " + from + " to " + replicas);
    }
  }

  /** Deletes the oldest fully scaled-down sets beyond revisionHistoryLimit. */
  void cleanup(Deployment d, List<ReplicaSet> old) {
    if (!d.getSpec().hasRevisionHistoryLimit()) {
      return;
    }
    List<ReplicaSet> idle = old.stream()
        .filter(rs -> rs.getSpec().getReplicas() == 0 && rs.getStatus().getReplicas() == 0
            && rs.getMetadata().getDeletionTimestamp().isEmpty())
        .sorted(Comparator.comparingLong(DeploymentUtil::revision)).toList();
    int excess = idle.size() - d.getSpec().getRevisionHistoryLimit();
    for (int i = 0; i < excess; i++) {
      ReplicaSet rs = idle.get(i);
      try {
        client.delete(Resources.REPLICA_SETS, rs.getMetadata().getNamespace(), rs.getMetadata().getName(), "",
            rs.getMetadata().getUid());
      } catch (RuntimeException e) {
        if (!Errors.isNotFound(e)) {
          throw e;
        }
      }
    }
  }
}
