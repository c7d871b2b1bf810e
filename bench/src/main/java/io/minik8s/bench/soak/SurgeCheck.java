package io.minik8s.bench.soak;

import com.google.protobuf.Message;
import io.minik8s.api.Deployment;
import io.minik8s.api.IntOrString;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.OwnerReference;
import io.minik8s.api.Pod;
import io.minik8s.api.ReplicaSet;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * "No ReplicaSet ever has more pods than replicas plus maxSurge", sampled at every change of a
 * pod, ReplicaSet or Deployment of the soak's namespace as etcd orders them. A pod counts while it
 * is active (not terminating, not finished), as the ReplicaSet controller counts it (Kubernetes'
 * pkg/controller/replicaset/replica_set.go). A scale-down lowers replicas before the surplus pods
 * are marked for deletion, and a controller may act on a replica count that has just been
 * lowered; so the bound is the highest replica count of the last {@link #WINDOW_NANOS} plus
 * maxSurge, for each ReplicaSet and for the sum over a Deployment's ReplicaSets. A controller
 * that creates pods twice (two leaders, lost expectations) still crosses it.
 */
final class SurgeCheck {
  static final long WINDOW_NANOS = 10_000_000_000L;

  /** One sample over the bound. */
  record Violation(long atNanos, String what, int active, int bound) {}

  private record PodState(String replicaSet, boolean active) {}

  /** Values of a replica count with the time they were seen; the oldest leave the window. */
  private static final class Recent {
    private final Deque<long[]> values = new ArrayDeque<>();

    void add(long now, int value) {
      values.addLast(new long[] {now, value});
      while (values.size() > 1 && values.peekFirst()[0] < now - WINDOW_NANOS) {
        values.removeFirst();
      }
    }

    int max(long now) {
      int max = 0;
      long[] last = values.peekLast();
      for (long[] v : values) {
        if (v[0] >= now - WINDOW_NANOS || v == last) {
          max = Math.max(max, (int) v[1]);
        }
      }
      return max;
    }
  }

  private final Map<String, PodState> pods = new HashMap<>();
  private final Map<String, Recent> rsReplicas = new HashMap<>();
  private final Map<String, String> rsOwner = new HashMap<>();
  private final Map<String, Recent> deploymentReplicas = new HashMap<>();
  private final Map<String, Integer> deploymentSurge = new HashMap<>();
  private final List<Violation> violations = new ArrayList<>();
  private long samples;

  /** A change of one object of the namespace; {@code obj} is null for a deletion. */
  synchronized void onChange(ResourceType type, String name, Message obj) {
    long now = System.nanoTime();
    if (type == Resources.DEPLOYMENTS) {
      if (obj instanceof Deployment d) {
        int replicas = d.getSpec().hasReplicas() ? d.getSpec().getReplicas() : 1;
        deploymentReplicas.computeIfAbsent(name, k -> new Recent()).add(now, replicas);
        deploymentSurge.put(name, maxSurge(d, replicas));
      }
      check(now, name);
    } else if (type == Resources.REPLICA_SETS) {
      if (obj instanceof ReplicaSet rs) {
        rsReplicas.computeIfAbsent(name, k -> new Recent()).add(now, rs.getSpec().hasReplicas() ? rs.getSpec().getReplicas() : 1);
        controller(rs.getMetadata(), "Deployment").ifPresent(d -> rsOwner.put(name, d));
      }
      check(now, rsOwner.get(name));
    } else if (type == Resources.PODS) {
      if (obj instanceof Pod p) {
        boolean active = p.getMetadata().getDeletionTimestamp().isEmpty()
            && !p.getStatus().getPhase().equals("Succeeded") && !p.getStatus().getPhase().equals("Failed");
        controller(p.getMetadata(), "ReplicaSet").ifPresent(rs -> pods.put(name, new PodState(rs, active)));
      } else {
        pods.remove(name);
      }
      PodState s = pods.get(name);
      check(now, s == null ? null : rsOwner.get(s.replicaSet()));
    }
  }

  /** Checks every ReplicaSet of a Deployment and their sum. */
  private void check(long now, String deployment) {
    if (deployment == null || !deploymentReplicas.containsKey(deployment)) {
      return;
    }
    samples++;
    int surge = deploymentSurge.getOrDefault(deployment, 0);
    int total = 0;
    for (Map.Entry<String, String> rs : rsOwner.entrySet()) {
      if (!rs.getValue().equals(deployment)) {
        continue;
      }
      int active = (int) pods.values().stream().filter(p -> p.active() && p.replicaSet().equals(rs.getKey())).count();
      total += active;
      Recent replicas = rsReplicas.get(rs.getKey());
      int bound = (replicas == null ? 0 : replicas.max(now)) + surge;
      if (active > bound) {
        violations.add(new Violation(now, "ReplicaSet " + rs.getKey(), active, bound));
      }
    }
    int bound = deploymentReplicas.get(deployment).max(now) + surge;
    if (total > bound) {
      violations.add(new Violation(now, "Deployment " + deployment, total, bound));
    }
  }

  private static java.util.Optional<String> controller(ObjectMeta m, String kind) {
    return m.getOwnerReferencesList().stream().filter(o -> o.getController() && o.getKind().equals(kind))
        .map(OwnerReference::getName).findFirst();
  }

  /** maxSurge of a RollingUpdate Deployment (a number, or a percentage of replicas rounded up). */
  static int maxSurge(Deployment d, int replicas) {
    if (d.getSpec().getStrategy().getType().equals("Recreate")) {
      return 0;
    }
    if (!d.getSpec().getStrategy().hasRollingUpdate() || !d.getSpec().getStrategy().getRollingUpdate().hasMaxSurge()) {
      return (int) Math.ceil(replicas * 0.25); // Kubernetes' default, 25%
    }
    IntOrString v = d.getSpec().getStrategy().getRollingUpdate().getMaxSurge();
    if (v.hasIntVal()) {
      return v.getIntVal();
    }
    String s = v.getStrVal().replace("%", "").strip();
    return (int) Math.ceil(replicas * Integer.parseInt(s) / 100.0);
  }

  synchronized long samples() {
    return samples;
  }

  synchronized List<Violation> violations() {
    return List.copyOf(violations);
  }
}
