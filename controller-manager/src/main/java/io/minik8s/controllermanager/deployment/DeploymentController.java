package io.minik8s.controllermanager.deployment;

import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentStatus;
import io.minik8s.api.LabelSelector;
import io.minik8s.api.OwnerReference;
import io.minik8s.api.Pod;
import io.minik8s.api.ReplicaSet;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.informer.ResourceEventHandler;
import io.minik8s.client.labels.Selector;
import io.minik8s.controllermanager.controller.BaseController;
import io.minik8s.controllermanager.controller.ControllerClient;
import io.minik8s.controllermanager.controller.ControllerRefManager;
import io.minik8s.controllermanager.controller.Lister;
import io.minik8s.controllermanager.controller.OwnerRefs;
import io.minik8s.controllermanager.controller.Recorder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Rolls a Deployment's pod template out through ReplicaSets: one per template (named and
 * labelled with the template's hash), the newest scaled up and the older ones down as the
 * strategy allows (RollingUpdate within maxSurge/maxUnavailable, or Recreate), revisions kept in
 * annotations, old sets beyond revisionHistoryLimit deleted, and status with the Available and
 * Progressing conditions. Rollback, pause and restart are spec changes made by mkctl.
 *
 * <p>Mirrors Kubernetes' pkg/controller/deployment/deployment_controller.go (with rolling.go and recreate.go for the strategies).
 */
public final class DeploymentController extends BaseController {
  private final Lister<Deployment> deployments;
  private final Lister<ReplicaSet> replicaSets;
  private final Lister<Pod> pods;
  private final ControllerClient client;
  private final Recorder recorder;
  private final ControllerRefManager refManager;
  private final ReplicaSetSync sets;

  public DeploymentController(Lister<Deployment> deployments, Lister<ReplicaSet> replicaSets, Lister<Pod> pods,
      ControllerClient client, Recorder recorder, Clock clock) {
    super("deployment", clock);
    this.deployments = deployments;
    this.replicaSets = replicaSets;
    this.pods = pods;
    this.client = client;
    this.recorder = recorder;
    this.refManager = new ControllerRefManager(client, recorder);
    this.sets = new ReplicaSetSync(client, recorder, clock);
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
      syncStatus(sets.rollout(d, owned, false));
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
    Rollout r = sets.rollout(d, owned, false);
    // Paused rollouts still scale: the only active set follows spec.replicas.
    List<ReplicaSet> active = r.all().stream().filter(rs -> rs.getSpec().getReplicas() > 0).toList();
    if (r.newRS() != null && (active.isEmpty() || active.equals(List.of(r.newRS())))) {
      sets.scale(r.d(), r.newRS(), r.d().getSpec().getReplicas());
    }
    DeploymentStatus.Builder base = r.base().toBuilder();
    DeploymentUtil.setCondition(base, DeploymentProgress.condition(DeploymentProgress.PROGRESSING, "Unknown",
        DeploymentProgress.PAUSED, "Deployment is paused", clock.instant()));
    syncStatus(new Rollout(r.d(), r.all(), r.newRS(), r.old(), base.build()));
  }

  private void rolloutRolling(Deployment d, List<ReplicaSet> owned) {
    Rollout r = resumed(sets.rollout(d, owned, true));
    ReplicaSet newRS = r.newRS();
    if (newRS.getSpec().getReplicas() != d.getSpec().getReplicas()) {
      int target = newRS.getSpec().getReplicas() > d.getSpec().getReplicas()
          ? d.getSpec().getReplicas() : DeploymentUtil.newRSNewReplicas(d, r.all(), newRS);
      if (target != newRS.getSpec().getReplicas()) {
        sets.scale(d, newRS, target);
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
      sets.cleanup(d, r.old());
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
        sets.scale(d, rs, rs.getSpec().getReplicas() - n);
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
        sets.scale(d, rs, rs.getSpec().getReplicas() - n);
        scaledDown += n;
      }
    }
    return cleaned + scaledDown > 0;
  }

  private void rolloutRecreate(Deployment d, List<ReplicaSet> owned) {
    Rollout r = resumed(sets.rollout(d, owned, false));
    boolean scaledDown = false;
    for (ReplicaSet rs : r.old()) {
      if (rs.getSpec().getReplicas() > 0) {
        sets.scale(d, rs, 0);
        scaledDown = true;
      }
    }
    if (scaledDown || oldPodsRunning(r)) {
      syncStatus(r);
      return;
    }
    if (r.newRS() == null) {
      r = sets.rollout(r.d(), owned, true);
    }
    if (r.newRS().getSpec().getReplicas() != d.getSpec().getReplicas()) {
      sets.scale(r.d(), r.newRS(), d.getSpec().getReplicas());
    } else if (DeploymentUtil.complete(d, DeploymentProgress.calculate(d, r.base(), r.all(), r.newRS(), clock.instant()).build())) {
      sets.cleanup(d, r.old());
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
