package io.minik8s.controllermanager.deployment;

import static io.minik8s.controllermanager.deployment.DeploymentUtil.POD_TEMPLATE_HASH;
import static io.minik8s.controllermanager.deployment.DeploymentUtil.REVISION;

import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentStatus;
import io.minik8s.api.LabelSelector;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.OwnerReference;
import io.minik8s.api.Pod;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.ReplicaSetSpec;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.informer.ResourceEventHandler;
import io.minik8s.client.labels.Selector;
import io.minik8s.controllermanager.controller.BaseController;
import io.minik8s.controllermanager.controller.ControllerClient;
import io.minik8s.controllermanager.controller.ControllerRefManager;
import io.minik8s.controllermanager.controller.Errors;
import io.minik8s.controllermanager.controller.Hashing;
import io.minik8s.controllermanager.controller.Lister;
import io.minik8s.controllermanager.controller.OwnerRefs;
import io.minik8s.controllermanager.controller.Recorder;
import io.minik8s.client.api.Resources;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rolls a Deployment's pod template out through ReplicaSets: one per template (named and
 * labelled with the template's hash), the newest scaled up and the older ones down as the
 * strategy allows (RollingUpdate within maxSurge/maxUnavailable, or Recreate), revisions kept in
 * annotations, old sets beyond revisionHistoryLimit deleted, and status with the Available and
 * Progressing conditions. Rollback, pause and restart are spec changes made by mkctl.
 */
public final class DeploymentController extends BaseController {
  private final Lister<Deployment> deployments;
  private final Lister<ReplicaSet> replicaSets;
  private final Lister<Pod> pods;
  private final ControllerClient client;
  private final Recorder recorder;
  private final ControllerRefManager refManager;

  public DeploymentController(Lister<Deployment> deployments, Lister<ReplicaSet> replicaSets, Lister<Pod> pods,
      ControllerClient client, Recorder recorder, Clock clock) {
    super("deployment", clock);
    this.deployments = deployments;
    this.replicaSets = replicaSets;
    this.pods = pods;
    this.client = client;
    this.recorder = recorder;
    this.refManager = new ControllerRefManager(client, recorder);
  }

  /** The deployment, its current ReplicaSets, the one matching its template (if any) and the rest. */
  record Rollout(Deployment d, List<ReplicaSet> all, ReplicaSet newRS, List<ReplicaSet> old, DeploymentStatus base) {}

  // ------------------------------------------------------------------ event handlers

  public ResourceEventHandler<Deployment> deploymentHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Deployment d) {
        enqueue(KubeObjects.key(d));
      }

      @Override
      public void onUpdate(Deployment old, Deployment d) {
        enqueue(KubeObjects.key(d));
      }

      @Override
      public void onDelete(Deployment d) {
        enqueue(KubeObjects.key(d));
      }
    };
  }

  public ResourceEventHandler<ReplicaSet> replicaSetHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(ReplicaSet rs) {
        enqueueOwner(rs);
      }

      @Override
      public void onUpdate(ReplicaSet old, ReplicaSet rs) {
        enqueueOwner(old);
        enqueueOwner(rs);
      }

      @Override
      public void onDelete(ReplicaSet rs) {
        enqueueOwner(rs);
      }
    };
  }

  /** Recreate waits for old pods to be gone: their deletion wakes the deployment. */
  public ResourceEventHandler<Pod> podHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onDelete(Pod pod) {
        Optional<OwnerReference> ref = OwnerRefs.controllerOf(pod.getMetadata());
        if (ref.isPresent() && ref.get().getKind().equals("ReplicaSet")) {
          replicaSets.get(pod.getMetadata().getNamespace(), ref.get().getName()).ifPresent(rs -> enqueueOwner(rs));
        }
      }
    };
  }

  private void enqueueOwner(ReplicaSet rs) {
    Optional<OwnerReference> ref = OwnerRefs.controllerOf(rs.getMetadata());
    if (ref.isPresent()) {
      if (ref.get().getKind().equals("Deployment")) {
        enqueue(rs.getMetadata().getNamespace() + "/" + ref.get().getName());
      }
      return;
    }
    for (Deployment d : deployments.list(rs.getMetadata().getNamespace())) {
      if (selectorOf(d).map(s -> s.matches(rs.getMetadata().getLabelsMap())).orElse(false)) {
        enqueue(KubeObjects.key(d));
      }
    }
  }

  private static Optional<Selector> selectorOf(Deployment d) {
    if (d.getSpec().getSelector().equals(LabelSelector.getDefaultInstance())) {
      return Optional.empty();
    }
    try {
      return Optional.of(Selector.from(d.getSpec().getSelector()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  // ------------------------------------------------------------------ sync

  @Override
  public void sync(String key) {
    int slash = key.indexOf('/');
    Optional<Deployment> found = deployments.get(key.substring(0, slash), key.substring(slash + 1));
    if (found.isEmpty()) {
      return;
    }
    Deployment d = found.get();
    Optional<Selector> selector = selectorOf(d);
    if (selector.isEmpty()) {
      recorder.event(d, Recorder.WARNING, "SelectingAll",
          "This deployment is selecting all pods. A non-empty selector is required.");
      return;
    }
    List<ReplicaSet> owned = refManager.claim(d, selector.get(), replicaSets.list(d.getMetadata().getNamespace()), rs -> true);
    if (!d.getMetadata().getDeletionTimestamp().isEmpty()) {
      syncStatus(rollout(d, owned, false));
      return;
    }
    if (d.getSpec().getPaused()) {
      syncPaused(d, owned);
    } else if (DeploymentUtil.isRollingUpdate(d)) {
      rolloutRolling(d, owned);
    } else {
      rolloutRecreate(d, owned);
    }
  }

  private void syncPaused(Deployment d, List<ReplicaSet> owned) {
    Rollout r = rollout(d, owned, false);
    // Paused rollouts still scale: the only active set follows spec.replicas.
    List<ReplicaSet> active = r.all().stream().filter(rs -> rs.getSpec().getReplicas() > 0).toList();
    if (r.newRS() != null && (active.isEmpty() || active.equals(List.of(r.newRS())))) {
      scale(r.d(), r.newRS(), r.d().getSpec().getReplicas());
    }
    DeploymentStatus.Builder base = r.base().toBuilder();
    DeploymentUtil.setCondition(base, DeploymentProgress.condition(DeploymentProgress.PROGRESSING, "Unknown",
        DeploymentProgress.PAUSED, "Deployment is paused", clock.instant()));
    syncStatus(new Rollout(r.d(), r.all(), r.newRS(), r.old(), base.build()));
  }

  private void rolloutRolling(Deployment d, List<ReplicaSet> owned) {
    Rollout r = resumed(rollout(d, owned, true));
    ReplicaSet newRS = r.newRS();
    if (newRS.getSpec().getReplicas() != d.getSpec().getReplicas()) {
      int target = newRS.getSpec().getReplicas() > d.getSpec().getReplicas()
          ? d.getSpec().getReplicas() : DeploymentUtil.newRSNewReplicas(d, r.all(), newRS);
      if (target != newRS.getSpec().getReplicas()) {
        scale(d, newRS, target);
        syncStatus(r);
        return;
      }
    }
    if (scaleDownOld(r)) {
      syncStatus(r);
      return;
    }
    DeploymentStatus s = DeploymentProgress.calculate(d, r.base(), r.all(), newRS, clock.instant()).build();
    if (DeploymentUtil.complete(d, s)) {
      cleanup(d, r.old());
    }
    syncStatus(r);
  }

  /** Kubernetes' reconcileOldReplicaSets: unhealthy old pods first, then healthy ones while enough stay available. */
  private boolean scaleDownOld(Rollout r) {
    Deployment d = r.d();
    if (DeploymentUtil.specReplicas(r.old()) == 0) {
      return false;
    }
    int maxScaledDown = DeploymentUtil.maxScaledDown(d, r.all(), r.newRS());
    if (maxScaledDown <= 0) {
      return false;
    }
    List<ReplicaSet> old = r.old().stream().sorted(Comparator.comparing(rs -> rs.getMetadata().getCreationTimestamp())).toList();
    int cleaned = 0;
    List<ReplicaSet> after = new ArrayList<>();
    for (ReplicaSet rs : old) {
      int unhealthy = rs.getSpec().getReplicas() - rs.getStatus().getAvailableReplicas();
      int n = Math.min(maxScaledDown - cleaned, Math.max(0, unhealthy));
      if (n > 0) {
        scale(d, rs, rs.getSpec().getReplicas() - n);
        cleaned += n;
        rs = rs.toBuilder().setSpec(rs.getSpec().toBuilder().setReplicas(rs.getSpec().getReplicas() - n)).build();
      }
      after.add(rs);
    }
    int minAvailable = d.getSpec().getReplicas() - DeploymentUtil.maxUnavailable(d);
    int available = DeploymentUtil.availableReplicas(r.all());
    int budget = Math.min(available - minAvailable, maxScaledDown - cleaned);
    int scaledDown = 0;
    for (ReplicaSet rs : after) {
      if (budget - scaledDown <= 0) {
        break;
      }
      int n = Math.min(rs.getSpec().getReplicas(), budget - scaledDown);
      if (n > 0) {
        scale(d, rs, rs.getSpec().getReplicas() - n);
        scaledDown += n;
      }
    }
    return cleaned + scaledDown > 0;
  }

  private void rolloutRecreate(Deployment d, List<ReplicaSet> owned) {
    Rollout r = resumed(rollout(d, owned, false));
    boolean scaledDown = false;
    for (ReplicaSet rs : r.old()) {
      if (rs.getSpec().getReplicas() > 0) {
        scale(d, rs, 0);
        scaledDown = true;
      }
    }
    if (scaledDown || oldPodsRunning(r)) {
      syncStatus(r);
      return;
    }
    if (r.newRS() == null) {
      r = rollout(r.d(), owned, true);
    }
    if (r.newRS().getSpec().getReplicas() != d.getSpec().getReplicas()) {
      scale(r.d(), r.newRS(), d.getSpec().getReplicas());
    } else if (DeploymentUtil.complete(d, DeploymentProgress.calculate(d, r.base(), r.all(), r.newRS(), clock.instant()).build())) {
      cleanup(d, r.old());
    }
    syncStatus(r);
  }

  private boolean oldPodsRunning(Rollout r) {
    for (ReplicaSet rs : r.old()) {
      if (rs.getStatus().getReplicas() > 0) {
        return true;
      }
      String uid = rs.getMetadata().getUid();
      boolean any = pods.list(rs.getMetadata().getNamespace()).stream()
          .filter(p -> OwnerRefs.controllerOf(p.getMetadata()).map(o -> o.getUid().equals(uid)).orElse(false))
          .anyMatch(p -> !p.getStatus().getPhase().equals("Succeeded") && !p.getStatus().getPhase().equals("Failed"));
      if (any) {
        return true;
      }
    }
    return false;
  }

  /** After a resume, Progressing says so once (and its deadline starts again). */
  private Rollout resumed(Rollout r) {
    boolean wasPaused = DeploymentUtil.condition(r.base(), DeploymentProgress.PROGRESSING)
        .map(c -> c.getReason().equals(DeploymentProgress.PAUSED)).orElse(false);
    if (!wasPaused) {
      return r;
    }
    DeploymentStatus.Builder base = r.base().toBuilder();
    DeploymentUtil.setCondition(base, DeploymentProgress.condition(DeploymentProgress.PROGRESSING, "Unknown",
        DeploymentProgress.RESUMED, "Deployment is resumed", clock.instant()));
    return new Rollout(r.d(), r.all(), r.newRS(), r.old(), base.build());
  }

  // ------------------------------------------------------------------ replica sets and revisions

  /** Kubernetes' getAllReplicaSetsAndSyncRevision: finds (or creates) the new set and numbers revisions. */
  private Rollout rollout(Deployment d, List<ReplicaSet> owned, boolean create) {
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
    return new Rollout(current, all, newRS, old, base.build());
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

  private void scale(Deployment d, ReplicaSet rs, int replicas) {
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
  private void cleanup(Deployment d, List<ReplicaSet> old) {
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

  private void syncStatus(Rollout r) {
    Deployment d = r.d();
    DeploymentStatus.Builder s = DeploymentProgress.calculate(d, r.base(), r.all(), r.newRS(), clock.instant());
    DeploymentProgress.updateProgressing(d, s, r.newRS(), clock.instant());
    DeploymentStatus status = s.build();
    if (!status.equals(d.getStatus())) {
      client.updateStatus(d.toBuilder().setStatus(status).build());
    }
    DeploymentProgress.untilDeadline(d, status, clock.instant()).ifPresent(after -> enqueueAfter(KubeObjects.key(d), after));
  }
}
