package io.minik8s.controllermanager.deployment;

import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentCondition;
import io.minik8s.api.DeploymentStatus;
import io.minik8s.api.IntOrString;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.api.ReplicaSet;
import io.minik8s.controllermanager.controller.IntOrPercent;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The arithmetic and bookkeeping of rollouts (Kubernetes' deployment/util), kept free of I/O for tests.
 *
 * <p>Mirrors Kubernetes' pkg/controller/deployment/util/deployment_util.go.
 */
public final class DeploymentUtil {
  public static final String REVISION = "deployment.kubernetes.io/revision";
  public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
  public static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
  public static final String POD_TEMPLATE_HASH = "pod-template-hash";
  public static final String CHANGE_CAUSE = "kubernetes.io/change-cause";

  private DeploymentUtil() {}

  /** maxSurge and maxUnavailable resolved against replicas: surge rounds up, unavailable down, never both 0. */
  public record Fenceposts(int surge, int unavailable) {}

  public static Fenceposts resolveFenceposts(IntOrString maxSurge, IntOrString maxUnavailable, int replicas) {
    int surge = IntOrPercent.scaled(maxSurge, replicas, true);
    int unavailable = IntOrPercent.scaled(maxUnavailable, replicas, false);
    if (surge == 0 && unavailable == 0) {
      // Kubernetes' fencepost: a rollout that may neither surge nor drop a pod could never move.
      unavailable = 1;
    }
    return new Fenceposts(surge, unavailable);
  }

  static boolean isRollingUpdate(Deployment d) {
    return !d.getSpec().getStrategy().getType().equals("Recreate");
  }

  public static int maxUnavailable(Deployment d) {
    int replicas = d.getSpec().getReplicas();
    if (!isRollingUpdate(d) || replicas == 0) {
      return 0;
    }
    var ru = d.getSpec().getStrategy().getRollingUpdate();
    return Math.min(resolveFenceposts(ru.getMaxSurge(), ru.getMaxUnavailable(), replicas).unavailable(), replicas);
  }

  public static int maxSurge(Deployment d) {
    if (!isRollingUpdate(d)) {
      return 0;
    }
    var ru = d.getSpec().getStrategy().getRollingUpdate();
    return resolveFenceposts(ru.getMaxSurge(), ru.getMaxUnavailable(), d.getSpec().getReplicas()).surge();
  }

  static int specReplicas(Collection<ReplicaSet> sets) {
    return sets.stream().mapToInt(rs -> rs.getSpec().getReplicas()).sum();
  }

  static int availableReplicas(Collection<ReplicaSet> sets) {
    return sets.stream().mapToInt(rs -> rs.getStatus().getAvailableReplicas()).sum();
  }

  /** How big the new ReplicaSet may be now: up to replicas, while the total stays within replicas + maxSurge. */
  public static int newRSNewReplicas(Deployment d, Collection<ReplicaSet> all, ReplicaSet newRS) {
    int replicas = d.getSpec().getReplicas();
    if (!isRollingUpdate(d)) {
      return replicas;
    }
    int current = newRS.getSpec().getReplicas();
    int maxTotal = replicas + maxSurge(d);
    int total = specReplicas(all);
    if (total >= maxTotal) {
      return current;
    }
    return current + Math.max(0, Math.min(maxTotal - total, replicas - current));
  }

  /**
   * How many old pods may go now without available pods dropping below replicas - maxUnavailable,
   * counting the new set's not-yet-available pods as unavailable.
   */
  public static int maxScaledDown(Deployment d, Collection<ReplicaSet> all, ReplicaSet newRS) {
    int minAvailable = d.getSpec().getReplicas() - maxUnavailable(d);
    int newUnavailable = newRS == null ? 0 : newRS.getSpec().getReplicas() - newRS.getStatus().getAvailableReplicas();
    return specReplicas(all) - minAvailable - newUnavailable;
  }

  /** Templates equal apart from the pod-template-hash label the controller adds. */
  public static boolean equalIgnoreHash(PodTemplateSpec a, PodTemplateSpec b) {
    return withoutHash(a).equals(withoutHash(b));
  }

  public static PodTemplateSpec withoutHash(PodTemplateSpec t) {
    PodTemplateSpec.Builder b = t.toBuilder();
    b.getMetadataBuilder().removeLabels(POD_TEMPLATE_HASH);
    return b.build();
  }

  public static long revision(ReplicaSet rs) {
    try {
      return Long.parseLong(rs.getMetadata().getAnnotationsOrDefault(REVISION, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  public static long maxRevision(List<ReplicaSet> sets) {
    return sets.stream().mapToLong(DeploymentUtil::revision).max().orElse(0);
  }

  public static Optional<DeploymentCondition> condition(DeploymentStatus s, String type) {
    return s.getConditionsList().stream().filter(c -> c.getType().equals(type)).findFirst();
  }

  /**
   * Sets a condition as Kubernetes' SetDeploymentCondition: an identical status and reason is left
   * alone; the transition time is kept while the status is unchanged.
   */
  public static void setCondition(DeploymentStatus.Builder s, DeploymentCondition c) {
    Optional<DeploymentCondition> current = condition(s.build(), c.getType());
    if (current.isPresent() && current.get().getStatus().equals(c.getStatus())
        && current.get().getReason().equals(c.getReason())) {
      return;
    }
    DeploymentCondition next = current.isPresent() && current.get().getStatus().equals(c.getStatus())
        ? c.toBuilder().setLastTransitionTime(current.get().getLastTransitionTime()).build() : c;
    removeCondition(s, c.getType());
    s.addConditions(next);
  }

  public static void removeCondition(DeploymentStatus.Builder s, String type) {
    List<DeploymentCondition> kept = s.getConditionsList().stream().filter(c -> !c.getType().equals(type)).toList();
    s.clearConditions().addAllConditions(kept);
  }

  /** Rolled out: every replica updated and available, and the newest spec observed. */
  public static boolean complete(Deployment d, DeploymentStatus s) {
    int r = d.getSpec().getReplicas();
    return s.getUpdatedReplicas() == r && s.getReplicas() == r && s.getAvailableReplicas() == r
        && s.getObservedGeneration() >= d.getMetadata().getGeneration();
  }

  /** Something moved since the last status: more updated, ready or available pods, or fewer old ones. */
  public static boolean progressing(DeploymentStatus old, DeploymentStatus now) {
    int oldOld = old.getReplicas() - old.getUpdatedReplicas();
    int newOld = now.getReplicas() - now.getUpdatedReplicas();
    return now.getUpdatedReplicas() > old.getUpdatedReplicas() || newOld < oldOld
        || now.getReadyReplicas() > old.getReadyReplicas() || now.getAvailableReplicas() > old.getAvailableReplicas();
  }
}
