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
 * pod, ReplicaSet or Deployment of the soak's namespace, in the order etcd committed them. Two
 * bounds, the ones Kubernetes' controllers keep:
 * <ul>
 *   <li>when a pod of a ReplicaSet is created, the ReplicaSet's active pods (not terminating, not
 *       finished, as pkg/controller/replicaset/replica_set.go counts them) are at most its replicas
 *       plus the Deployment's maxSurge: a controller that creates twice (two leaders, expectations
 *       lost in a restart) crosses it;
 *   <li>when a ReplicaSet's replicas change, the replicas of all the Deployment's ReplicaSets add
 *       up to at most the Deployment's replicas plus maxSurge (pkg/controller/deployment/rolling.go).
 * </ul>
 * A controller may act on a count that was just lowered, so "replicas" is the highest value of
 * the last {@link #WINDOW_NANOS}, or for a Deployment the count its controller says it acted on
 * (the desired-replicas annotation of the ReplicaSets), whichever is higher. Pods that linger after a scale-down until the ReplicaSet
 * controller gets to delete them are not a creation and are not counted against it.
 */
final class SurgeCheck {
  static final long WINDOW_NANOS = 30_000_000_000L;
  /** Written by the Deployment controller on each ReplicaSet: the Deployment's replicas as it saw them. */
  static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";

  /** One sample over the bound. */
  record Violation(double atSeconds, String what, int count, int bound) {}

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
  private final long started = System.nanoTime();
  private final Map<String, Recent> rsReplicas = new HashMap<>();
  private final Map<String, Integer> rsCurrent = new HashMap<>();
  private final Map<String, Integer> rsDesired = new HashMap<>();
  private final Map<String, String> rsOwner = new HashMap<>();
  private final Map<String, Recent> deploymentReplicas = new HashMap<>();
  private final Map<String, Integer> deploymentSurge = new HashMap<>();
  private final List<Violation> violations = new ArrayList<>();
  private long samples;

  /** A change of one object of the namespace; {@code obj} is null for a deletion. */
  synchronized void onChange(ResourceType type, String name, Message obj) {
    long now = System.nanoTime();
    if (type == Resources.DEPLOYMENTS && obj instanceof Deployment d) {
      int replicas = d.getSpec().hasReplicas() ? d.getSpec().getReplicas() : 1;
      deploymentReplicas.computeIfAbsent(name, k -> new Recent()).add(now, replicas);
      deploymentSurge.put(name, maxSurge(d, replicas));
    } else if (type == Resources.REPLICA_SETS) {
      if (obj instanceof ReplicaSet rs) {
        int replicas = rs.getSpec().hasReplicas() ? rs.getSpec().getReplicas() : 1;
        Integer before = rsCurrent.put(name, replicas);
        String desired = rs.getMetadata().getAnnotationsOrDefault(DESIRED_REPLICAS, "");
        if (desired.matches("\\d{1,9}")) {
          rsDesired.put(name, Integer.parseInt(desired));
        }
        rsReplicas.computeIfAbsent(name, k -> new Recent()).add(now, replicas);
        controller(rs.getMetadata(), "Deployment").ifPresent(d -> rsOwner.put(name, d));
        if (before == null || before != replicas) {
          checkDeployment(now, rsOwner.get(name));
        }
      } else {
        rsCurrent.remove(name);
        rsDesired.remove(name);
      }
    } else if (type == Resources.PODS) {
      boolean created = obj != null && !pods.containsKey(name);
      if (obj instanceof Pod p) {
        boolean active = p.getMetadata().getDeletionTimestamp().isEmpty()
            && !p.getStatus().getPhase().equals("Succeeded") && !p.getStatus().getPhase().equals("Failed");
        pods.put(name, new PodState(controller(p.getMetadata(), "ReplicaSet").orElse(""), active));
      } else {
        pods.remove(name);
      }
      if (created) {
        checkReplicaSet(now, pods.get(name).replicaSet());
      }
    }
  }

  private void checkReplicaSet(long now, String rs) {
    String deployment = rsOwner.get(rs);
    if (deployment == null) {
      return; // a bare pod, or a ReplicaSet of no Deployment of the soak
    }
    samples++;
    int active = (int) pods.values().stream().filter(p -> p.active() && p.replicaSet().equals(rs)).count();
    int bound = rsReplicas.get(rs).max(now) + deploymentSurge.getOrDefault(deployment, 0);
    if (active > bound) {
      violations.add(new Violation(seconds(now), "ReplicaSet " + rs + " active pods at a creation", active, bound));
    }
  }

  private void checkDeployment(long now, String deployment) {
    if (deployment == null || !deploymentReplicas.containsKey(deployment)) {
      return;
    }
    samples++;
    int sum = rsOwner.entrySet().stream().filter(e -> e.getValue().equals(deployment))
        .mapToInt(e -> rsCurrent.getOrDefault(e.getKey(), 0)).sum();
    // what the controller believed the Deployment's replicas were when it scaled (it may lag far
    // behind on a loaded machine): the desired-replicas annotation it wrote on the ReplicaSets
    int believed = rsOwner.entrySet().stream().filter(e -> e.getValue().equals(deployment))
        .mapToInt(e -> rsDesired.getOrDefault(e.getKey(), 0)).max().orElse(0);
    int bound = Math.max(deploymentReplicas.get(deployment).max(now), believed) + deploymentSurge.getOrDefault(deployment, 0);
    if (sum > bound) {
      violations.add(new Violation(seconds(now), "Deployment " + deployment + " replicas of its ReplicaSets", sum, bound));
    }
  }

  private double seconds(long now) {
    return (now - started) / 1e9;
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
