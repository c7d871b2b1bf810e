package io.minik8s.controllermanager.statefulset;

import static io.minik8s.controllermanager.statefulset.StatefulSetUtil.REVISION_LABEL;

import io.minik8s.api.ControllerRevision;
import io.minik8s.api.LabelSelector;
import io.minik8s.api.OwnerReference;
import io.minik8s.api.PersistentVolumeClaim;
import io.minik8s.api.PersistentVolumeClaimStatus;
import io.minik8s.api.Pod;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.api.StatefulSet;
import io.minik8s.api.StatefulSetStatus;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.Resources;
import io.minik8s.client.informer.ResourceEventHandler;
import io.minik8s.client.labels.Selector;
import io.minik8s.controllermanager.controller.BaseController;
import io.minik8s.controllermanager.controller.ControllerClient;
import io.minik8s.controllermanager.controller.ControllerRefManager;
import io.minik8s.controllermanager.controller.Errors;
import io.minik8s.controllermanager.controller.Lister;
import io.minik8s.controllermanager.controller.OwnerRefs;
import io.minik8s.controllermanager.controller.Pods;
import io.minik8s.controllermanager.controller.Recorder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a StatefulSet's pods as {@code <set>-0..N-1}, each with its own claims. OrderedReady
 * creates one at a time in ordinal order, each Running and Ready before the next, and removes
 * from the highest ordinal down; Parallel does both at once. A template change becomes a new
 * ControllerRevision, rolled out from the highest ordinal down to the partition (RollingUpdate) or
 * left to the user deleting pods (OnDelete).
 *
 * <p>There is no volume provisioner: each claim is created and then marked Bound at once, and a
 * kubelet backs it with a named Docker volume that outlives the pod.
 *
 * <p>Mirrors Kubernetes' pkg/controller/statefulset/stateful_set.go and stateful_set_control.go.
 */
public final class StatefulSetController extends BaseController {
  private final Lister<StatefulSet> sets;
  private final Lister<Pod> pods;
  private final Lister<PersistentVolumeClaim> claims;
  private final Lister<ControllerRevision> revisions;
  private final ControllerClient client;
  private final Recorder recorder;
  private final ControllerRefManager refManager;

  public StatefulSetController(Lister<StatefulSet> sets, Lister<Pod> pods, Lister<PersistentVolumeClaim> claims,
      Lister<ControllerRevision> revisions, ControllerClient client, Recorder recorder, Clock clock) {
    super("statefulset", clock);
    this.sets = sets;
    this.pods = pods;
    this.claims = claims;
    this.revisions = revisions;
    this.client = client;
    this.recorder = recorder;
    this.refManager = new ControllerRefManager(client, recorder);
  }

  public ResourceEventHandler<StatefulSet> setHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(StatefulSet s) {
        enqueue(KubeObjects.key(s));
      }

      @Override
      public void onUpdate(StatefulSet old, StatefulSet s) {
        enqueue(KubeObjects.key(s));
      }
    };
  }

  public ResourceEventHandler<Pod> podHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod p) {
        enqueueFor(p);
      }

      @Override
      public void onUpdate(Pod old, Pod p) {
        enqueueFor(old);
        enqueueFor(p);
      }

      @Override
      public void onDelete(Pod p) {
        enqueueFor(p);
      }
    };
  }

  private void enqueueFor(Pod p) {
    Optional<OwnerReference> ref = OwnerRefs.controllerOf(p.getMetadata());
    if (ref.isPresent()) {
      if (ref.get().getKind().equals("StatefulSet")) {
        enqueue(p.getMetadata().getNamespace() + "/" + ref.get().getName());
      }
      return;
    }
    for (StatefulSet s : sets.list(p.getMetadata().getNamespace())) {
      if (selectorOf(s).map(sel -> sel.matches(p.getMetadata().getLabelsMap())).orElse(false)) {
        enqueue(KubeObjects.key(s));
      }
    }
  }

  private static Optional<Selector> selectorOf(StatefulSet s) {
    if (s.getSpec().getSelector().equals(LabelSelector.getDefaultInstance())) {
      return Optional.empty();
    }
    try {
      return Optional.of(Selector.from(s.getSpec().getSelector()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  // ------------------------------------------------------------------ sync

  @Override
  public void sync(String key) {
    int slash = key.indexOf('/');
    Optional<StatefulSet> found = sets.get(key.substring(0, slash), key.substring(slash + 1));
    if (found.isEmpty()) {
      return;
    }
    StatefulSet set = found.get();
    Optional<Selector> selector = selectorOf(set);
    if (selector.isEmpty()) {
      recorder.event(set, Recorder.WARNING, "InvalidSelector", "invalid selector: " + set.getSpec().getSelector());
      return;
    }
    List<Pod> owned = new ArrayList<>(refManager.claim(set, selector.get(), pods.list(set.getMetadata().getNamespace()),
        p -> StatefulSetUtil.ordinal(set, p) >= 0));
    if (!set.getMetadata().getDeletionTimestamp().isEmpty()) {
      return;
    }
    List<ControllerRevision> history = revisions.list(set.getMetadata().getNamespace()).stream()
        .filter(r -> OwnerRefs.isControlledBy(r.getMetadata(), set)).toList();
    ControllerRevision update = updateRevision(set, history);
    ControllerRevision current = history.stream()
        .filter(r -> r.getMetadata().getName().equals(set.getStatus().getCurrentRevision())).findFirst().orElse(update);
    new Pass(set, owned, current, update).run();
    truncateHistory(set, history, owned, current, update);
  }

  /** One pass over the set's ordinals: what to create, delete or wait for; then status. */
  private final class Pass {
    private final StatefulSet set;
    private final List<Pod> owned;
    private final ControllerRevision current;
    private final ControllerRevision update;
    private final boolean monotonic;
    private final int partition;
    private final boolean rolling;

    Pass(StatefulSet set, List<Pod> owned, ControllerRevision current, ControllerRevision update) {
      this.set = set;
      this.owned = owned;
      this.current = current;
      this.update = update;
      this.monotonic = !set.getSpec().getPodManagementPolicy().equals("Parallel");
      this.rolling = !set.getSpec().getUpdateStrategy().getType().equals("OnDelete");
      var ru = set.getSpec().getUpdateStrategy().getRollingUpdate();
      this.partition = rolling && ru.hasPartition() ? ru.getPartition() : 0;
    }

    void run() {
      try {
        converge();
      } finally {
        writeStatus();
      }
    }

    private void converge() {
      int count = set.getSpec().getReplicas();
      Pod[] replicas = new Pod[count];
      List<Pod> condemned = new ArrayList<>();
      for (Pod p : owned) {
        int ord = StatefulSetUtil.ordinal(set, p);
        if (ord < count) {
          replicas[ord] = p;
        } else {
          condemned.add(p);
        }
      }
      condemned.sort(Comparator.comparingInt((Pod p) -> StatefulSetUtil.ordinal(set, p)).reversed());
      boolean anyUnhealthy = false;
      for (int ord = 0; ord < count; ord++) {
        Pod p = replicas[ord];
        if (p == null) {
          create(ord);
          anyUnhealthy = true;
          if (monotonic) {
            return;
          }
        } else if (Pods.isFailed(p) && !Pods.isTerminating(p)) {
          delete(p);
          anyUnhealthy = true;
          if (monotonic) {
            return;
          }
        } else if (!healthy(p)) {
          anyUnhealthy = true;
          if (monotonic) {
            return; // OrderedReady: the next ordinal waits for this one to be Running and Ready
          }
        }
      }
      for (Pod p : condemned) {
        if (Pods.isTerminating(p)) {
          if (monotonic) {
            return;
          }
          continue;
        }
        if (monotonic && anyUnhealthy) {
          return;
        }
        delete(p);
        if (monotonic) {
          return;
        }
      }
      if (!rolling) {
        return;
      }
      for (int ord = count - 1; ord >= partition; ord--) {
        Pod p = replicas[ord];
        if (p == null) {
          continue;
        }
        if (!revisionOf(p).equals(update.getMetadata().getName()) && !Pods.isTerminating(p)) {
          delete(p);
          return;
        }
        if (!healthy(p)) {
          return;
        }
      }
    }

    private void create(int ord) {
      for (PersistentVolumeClaim claim : StatefulSetUtil.claims(set, ord)) {
        ensureClaim(claim, StatefulSetUtil.podName(set, ord));
      }
      boolean useCurrent = rolling && ord < partition;
      ControllerRevision rev = useCurrent ? current : update;
      PodTemplateSpec template = useCurrent ? StatefulSetUtil.templateOf(current) : set.getSpec().getTemplate();
      Pod pod = StatefulSetUtil.newPod(set, template, rev.getMetadata().getName(), ord);
      String name = pod.getMetadata().getName();
      try {
        owned.add(client.create(pod));
        recorder.event(set, Recorder.NORMAL, "SuccessfulCreate",
            "create Pod " + name + " in StatefulSet " + set.getMetadata().getName() + " successful");
      } catch (RuntimeException e) {
        if (Errors.isAlreadyExists(e)) {
          return; // the informer has not shown it yet
        }
        recorder.event(set, Recorder.WARNING, "FailedCreate",
            "create Pod " + name + " in StatefulSet " + set.getMetadata().getName() + " failed error: " + e.getMessage());
        throw e;
      }
    }

    private void ensureClaim(PersistentVolumeClaim claim, String podName) {
      String ns = claim.getMetadata().getNamespace();
      String name = claim.getMetadata().getName();
      PersistentVolumeClaim pvc = claims.get(ns, name).orElse(null);
      if (pvc == null) {
        try {
          pvc = client.create(claim);
          recorder.event(set, Recorder.NORMAL, "SuccessfulCreate", "create Claim " + name + " Pod " + podName
              + " in StatefulSet " + set.getMetadata().getName() + " success");
        } catch (RuntimeException e) {
          if (!Errors.isAlreadyExists(e)) {
            recorder.event(set, Recorder.WARNING, "FailedCreate", "create Claim " + name + " for Pod " + podName
                + " in StatefulSet " + set.getMetadata().getName() + " failed error: " + e.getMessage());
            throw e;
          }
          pvc = client.<PersistentVolumeClaim>find(Resources.PERSISTENT_VOLUME_CLAIMS, ns, name).orElseThrow(() -> e);
        }
      }
      if (!pvc.getStatus().getPhase().equals("Bound")) {
        // No provisioner exists: the claim is bound as soon as it exists (the kubelet makes the volume).
        client.updateStatus(pvc.toBuilder().setStatus(PersistentVolumeClaimStatus.newBuilder().setPhase("Bound")
            .addAllAccessModes(pvc.getSpec().getAccessModesList())
            .putAllCapacity(pvc.getSpec().getResources().getRequestsMap())).build());
      }
    }

    private void delete(Pod p) {
      String name = p.getMetadata().getName();
      try {
        client.delete(Resources.PODS, p.getMetadata().getNamespace(), name, "", p.getMetadata().getUid());
        recorder.event(set, Recorder.NORMAL, "SuccessfulDelete",
            "delete Pod " + name + " in StatefulSet " + set.getMetadata().getName() + " successful");
        owned.remove(p);
      } catch (RuntimeException e) {
        if (!Errors.isNotFound(e)) {
          recorder.event(set, Recorder.WARNING, "FailedDelete",
              "delete Pod " + name + " in StatefulSet " + set.getMetadata().getName() + " failed error: " + e.getMessage());
          throw e;
        }
      }
    }

    private void writeStatus() {
      String currentName = current.getMetadata().getName();
      String updateName = update.getMetadata().getName();
      int ready = 0;
      int currentCount = 0;
      int updated = 0;
      for (Pod p : owned) {
        ready += healthy(p) ? 1 : 0;
        currentCount += revisionOf(p).equals(currentName) ? 1 : 0;
        updated += revisionOf(p).equals(updateName) ? 1 : 0;
      }
      int replicas = owned.size();
      boolean rolledOut = updated == set.getSpec().getReplicas() && ready == replicas && replicas == updated;
      StatefulSetStatus.Builder s = set.getStatus().toBuilder()
          .setObservedGeneration(set.getMetadata().getGeneration())
          .setReplicas(replicas).setReadyReplicas(ready).setAvailableReplicas(ready)
          .setCurrentReplicas(rolledOut ? updated : currentCount).setUpdatedReplicas(updated)
          .setCurrentRevision(rolledOut ? updateName : currentName).setUpdateRevision(updateName);
      StatefulSetStatus status = s.build();
      if (!status.equals(set.getStatus())) {
        client.updateStatus(set.toBuilder().setStatus(status).build());
      }
    }
  }

  private static boolean healthy(Pod p) {
    return Pods.isRunning(p) && Pods.isReady(p) && !Pods.isTerminating(p);
  }

  private static String revisionOf(Pod p) {
    return p.getMetadata().getLabelsOrDefault(REVISION_LABEL, "");
  }

  /** The revision of the current template: found by its hash name, or created with the next number. */
  private ControllerRevision updateRevision(StatefulSet set, List<ControllerRevision> history) {
    int collisions = set.getStatus().hasCollisionCount() ? set.getStatus().getCollisionCount() : 0;
    long max = history.stream().mapToLong(ControllerRevision::getRevision).max().orElse(0);
    ControllerRevision wanted = StatefulSetUtil.newRevision(set, max + 1, collisions);
    Optional<ControllerRevision> existing = history.stream()
        .filter(r -> r.getMetadata().getName().equals(wanted.getMetadata().getName())).findFirst();
    if (existing.isPresent()) {
      ControllerRevision r = existing.get();
      if (!r.getData().equals(wanted.getData())) {
        client.updateStatus(set.toBuilder().setStatus(set.getStatus().toBuilder().setCollisionCount(collisions + 1)).build());
        throw new IllegalStateException("hash collision on revision " + r.getMetadata().getName());
      }
      if (r.getRevision() < max) {
        return client.update(r.toBuilder().setRevision(max + 1).build()); // a rollback to an older template
      }
      return r;
    }
    try {
      return client.create(wanted);
    } catch (RuntimeException e) {
      if (Errors.isAlreadyExists(e)) {
        return client.<ControllerRevision>find(Resources.CONTROLLER_REVISIONS, set.getMetadata().getNamespace(),
            wanted.getMetadata().getName()).orElseThrow(() -> e);
      }
      throw e;
    }
  }

  /** Keeps the live revisions (current, update, any a pod runs) and revisionHistoryLimit others. */
  private void truncateHistory(StatefulSet set, List<ControllerRevision> history, List<Pod> owned,
      ControllerRevision current, ControllerRevision update) {
    Set<String> live = new java.util.HashSet<>();
    live.add(current.getMetadata().getName());
    live.add(update.getMetadata().getName());
    owned.forEach(p -> live.add(revisionOf(p)));
    List<ControllerRevision> old = history.stream().filter(r -> !live.contains(r.getMetadata().getName()))
        .sorted(Comparator.comparingLong(ControllerRevision::getRevision)).toList();
    int limit = set.getSpec().hasRevisionHistoryLimit() ? set.getSpec().getRevisionHistoryLimit() : 10;
    for (int i = 0; i < old.size() - limit; i++) {
      ControllerRevision r = old.get(i);
      try {
        client.delete(Resources.CONTROLLER_REVISIONS, r.getMetadata().getNamespace(), r.getMetadata().getName(), "",
            r.getMetadata().getUid());
      } catch (RuntimeException e) {
        if (!Errors.isNotFound(e)) {
          throw e;
        }
      }
    }
  }
}
