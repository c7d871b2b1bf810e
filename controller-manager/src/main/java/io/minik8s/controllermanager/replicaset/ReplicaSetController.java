package io.minik8s.controllermanager.replicaset;

import io.minik8s.api.OwnerReference;
import io.minik8s.api.Pod;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.ReplicaSetStatus;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.informer.ResourceEventHandler;
import io.minik8s.client.labels.Selector;
import io.minik8s.controllermanager.controller.ActivePods;
import io.minik8s.controllermanager.controller.BaseController;
import io.minik8s.controllermanager.controller.ControllerClient;
import io.minik8s.controllermanager.controller.ControllerExpectations;
import io.minik8s.controllermanager.controller.ControllerRefManager;
import io.minik8s.controllermanager.controller.Lister;
import io.minik8s.controllermanager.controller.OwnerRefs;
import io.minik8s.controllermanager.controller.PodControl;
import io.minik8s.controllermanager.controller.Pods;
import io.minik8s.controllermanager.controller.Recorder;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Keeps the number of active pods matching a ReplicaSet's selector at spec.replicas. It adopts
 * matching orphans, releases pods that stopped matching, records expectations before creating
 * or deleting so it never acts twice on one gap, creates in slow-start batches and deletes the
 * least useful pods first; then writes status.
 *
 * <p>Mirrors Kubernetes' pkg/controller/replicaset/replica_set.go.
 */
public final class ReplicaSetController extends BaseController {
  /** At most this many pods created or deleted in one sync, as Kubernetes' burstReplicas. */
  static final int BURST_REPLICAS = 500;

  private final Lister<ReplicaSet> replicaSets;
  private final Lister<Pod> pods;
  private final ControllerClient client;
  private final Recorder recorder;
  private final PodControl podControl;
  private final ControllerRefManager refManager;
  private final ControllerExpectations expectations;

  public ReplicaSetController(Lister<ReplicaSet> replicaSets, Lister<Pod> pods, ControllerClient client,
      Recorder recorder, Clock clock) {
    super("replicaset", clock);
    this.replicaSets = replicaSets;
    this.pods = pods;
    this.client = client;
    this.recorder = recorder;
    this.podControl = new PodControl(client, recorder);
    this.refManager = new ControllerRefManager(client, recorder);
    this.expectations = new ControllerExpectations(clock);
  }

  public ControllerExpectations expectations() {
    return expectations;
  }

  // ------------------------------------------------------------------ event handlers

  public ResourceEventHandler<ReplicaSet> replicaSetHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(ReplicaSet rs) {
        enqueue(KubeObjects.key(rs));
      }

      @Override
      public void onUpdate(ReplicaSet old, ReplicaSet rs) {
        enqueue(KubeObjects.key(rs));
      }

      @Override
      public void onDelete(ReplicaSet rs) {
        expectations.delete(KubeObjects.key(rs));
        enqueue(KubeObjects.key(rs));
      }
    };
  }

  public ResourceEventHandler<Pod> podHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        if (Pods.isTerminating(pod)) {
          onDelete(pod);
          return;
        }
        Optional<String> owner = ownerKey(pod);
        if (owner.isPresent()) {
          expectations.creationObserved(owner.get());
          enqueue(owner.get());
        } else {
          matchingReplicaSets(pod).forEach(rs -> enqueue(KubeObjects.key(rs)));
        }
      }

      @Override
      public void onUpdate(Pod old, Pod pod) {
        if (Pods.isTerminating(pod) && !Pods.isTerminating(old)) {
          ownerKey(pod).ifPresent(k -> expectations.deletionObserved(k, pod.getMetadata().getUid()));
        }
        Optional<String> oldOwner = ownerKey(old);
        Optional<String> owner = ownerKey(pod);
        oldOwner.filter(k -> !owner.equals(Optional.of(k))).ifPresent(k -> enqueue(k));
        if (owner.isPresent()) {
          enqueue(owner.get());
          if (!Pods.isReady(old) && Pods.isReady(pod)) {
            // Look again once the pod may count as available. One second more than minReadySeconds, as
            // Kubernetes' updatePod adds: availability compares the Ready condition's lastTransitionTime,
            // which the kubelet stamps on its own clock in whole seconds, with this controller's clock;
            // a check at exactly minReadySeconds can fall just short of it and find the pod not yet
            // available, and nothing else would bring the set back.
            replicaSets.get(pod.getMetadata().getNamespace(), nameOf(owner.get()))
                .filter(rs -> rs.getSpec().getMinReadySeconds() > 0)
                .ifPresent(rs -> enqueueAfter(owner.get(), Duration.ofSeconds(rs.getSpec().getMinReadySeconds() + 1)));
          }
        } else if (!old.getMetadata().getLabelsMap().equals(pod.getMetadata().getLabelsMap()) || oldOwner.isPresent()) {
          matchingReplicaSets(pod).forEach(rs -> enqueue(KubeObjects.key(rs)));
        }
      }

      @Override
      public void onDelete(Pod pod) {
        ownerKey(pod).ifPresent(k -> {
          expectations.deletionObserved(k, pod.getMetadata().getUid());
          enqueue(k);
        });
      }
    };
  }

  private static String nameOf(String key) {
    return key.substring(key.indexOf('/') + 1);
  }

  /** The key of the ReplicaSet controlling the pod, if one in the cache does (same uid). */
  private Optional<String> ownerKey(Pod pod) {
    Optional<OwnerReference> ref = OwnerRefs.controllerOf(pod.getMetadata());
    if (ref.isEmpty() || !ref.get().getKind().equals("ReplicaSet")) {
      return Optional.empty();
    }
    String ns = pod.getMetadata().getNamespace();
    return replicaSets.get(ns, ref.get().getName())
        .filter(rs -> rs.getMetadata().getUid().equals(ref.get().getUid()))
        .map(KubeObjects::key);
  }

  private List<ReplicaSet> matchingReplicaSets(Pod pod) {
    return replicaSets.list(pod.getMetadata().getNamespace()).stream()
        .filter(rs -> selectorOf(rs).map(s -> s.matches(pod.getMetadata().getLabelsMap())).orElse(false))
        .toList();
  }

  private static Optional<Selector> selectorOf(ReplicaSet rs) {
    try {
      Selector s = Selector.from(rs.getSpec().getSelector());
      return rs.getSpec().getSelector().equals(io.minik8s.api.LabelSelector.getDefaultInstance())
          ? Optional.empty() : Optional.of(s);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  // ------------------------------------------------------------------ sync

  @Override
  public void sync(String key) {
    int slash = key.indexOf('/');
    Optional<ReplicaSet> found = replicaSets.get(key.substring(0, slash), key.substring(slash + 1));
    if (found.isEmpty()) {
      expectations.delete(key);
      return;
    }
    ReplicaSet rs = found.get();
    Optional<Selector> selector = selectorOf(rs);
    if (selector.isEmpty()) {
      recorder.event(rs, Recorder.WARNING, "SelectorParsingFailed", "invalid selector: " + rs.getSpec().getSelector());
      return;
    }
    boolean needsSync = expectations.satisfied(key);
    List<Pod> active = pods.list(rs.getMetadata().getNamespace()).stream().filter(Pods::isActive).toList();
    List<Pod> owned = refManager.claim(rs, selector.get(), active, p -> true);
    RuntimeException failure = null;
    if (needsSync && rs.getMetadata().getDeletionTimestamp().isEmpty()) {
      try {
        manageReplicas(key, owned, rs);
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    updateStatus(rs, owned);
    if (failure != null) {
      throw failure;
    }
  }

  private void manageReplicas(String key, List<Pod> owned, ReplicaSet rs) {
    int diff = owned.size() - rs.getSpec().getReplicas();
    if (diff < 0) {
      int n = Math.min(-diff, BURST_REPLICAS);
      expectations.expectCreations(key, n);
      int created = SlowStart.run(n, () -> podControl.createPod(rs.getSpec().getTemplate(), rs));
      // Creations never attempted will never be observed: stop expecting them.
      for (int i = created; i < n; i++) {
        expectations.creationObserved(key);
      }
      if (created < n) {
        throw new IllegalStateException("created " + created + " of " + n + " pods for " + key);
      }
    } else if (diff > 0) {
      int n = Math.min(diff, BURST_REPLICAS);
      List<Pod> victims = owned.stream().sorted(ActivePods.ORDER).limit(n).toList();
      Set<String> uids = new HashSet<>();
      victims.forEach(p -> uids.add(p.getMetadata().getUid()));
      expectations.expectDeletions(key, uids);
      RuntimeException failure = null;
      for (Pod p : victims) {
        try {
          podControl.deletePod(p, rs);
        } catch (RuntimeException e) {
          expectations.deletionObserved(key, p.getMetadata().getUid());
          failure = e;
        }
      }
      if (failure != null) {
        throw failure;
      }
    }
  }

  private void updateStatus(ReplicaSet rs, List<Pod> owned) {
    Map<String, String> templateLabels = rs.getSpec().getTemplate().getMetadata().getLabelsMap();
    int minReady = rs.getSpec().getMinReadySeconds();
    int fully = 0;
    int ready = 0;
    int available = 0;
    for (Pod p : owned) {
      if (p.getMetadata().getLabelsMap().entrySet().containsAll(templateLabels.entrySet())) {
        fully++;
      }
      if (Pods.isReady(p)) {
        ready++;
        if (Pods.isAvailable(p, minReady, clock.instant())) {
          available++;
        }
      }
    }
    ReplicaSetStatus status = rs.getStatus().toBuilder()
        .setReplicas(owned.size()).setFullyLabeledReplicas(fully).setReadyReplicas(ready)
        .setAvailableReplicas(available).setObservedGeneration(rs.getMetadata().getGeneration()).build();
    if (!status.equals(rs.getStatus())) {
      client.updateStatus(rs.toBuilder().setStatus(status).build());
    }
    if (minReady > 0 && ready > available) {
      // A pod is ready but not yet available: look again when minReadySeconds have passed.
      enqueueAfter(KubeObjects.key(rs), Duration.ofSeconds(minReady));
    }
  }

  /** Kubernetes' slowStartBatch: batches of 1, 2, 4, ... that stop after the first batch with a failure. */
  static final class SlowStart {
    private SlowStart() {}

    static int run(int count, Supplier<?> fn) {
      int done = 0;
      int batch = Math.min(count, 1);
      while (batch > 0) {
        int errors = 0;
        for (int i = 0; i < batch; i++) {
          try {
            fn.get();
            done++;
          } catch (RuntimeException e) {
            errors++;
          }
        }
        if (errors > 0) {
          return done;
        }
        batch = Math.min(2 * batch, count - done);
      }
      return done;
    }
  }
}
