package io.minik8s.controllermanager.deployment;

import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentCondition;
import io.minik8s.api.DeploymentStatus;
import io.minik8s.api.ReplicaSet;
import io.minik8s.controllermanager.controller.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A Deployment's status from its ReplicaSets, with the Available and Progressing conditions as
 * Kubernetes words them, and when to look again for the progress deadline.
 *
 * <p>Mirrors Kubernetes' pkg/controller/deployment/progress.go.
 */
public final class DeploymentProgress {
  public static final String AVAILABLE = "Available";
  public static final String PROGRESSING = "Progressing";
  public static final String NEW_RS_CREATED = "NewReplicaSetCreated";
  public static final String FOUND_NEW_RS = "FoundNewReplicaSet";
  public static final String RS_UPDATED = "ReplicaSetUpdated";
  public static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
  public static final String TIMED_OUT = "ProgressDeadlineExceeded";
  public static final String PAUSED = "DeploymentPaused";
  public static final String RESUMED = "DeploymentResumed";

  private DeploymentProgress() {}

  public static DeploymentCondition condition(String type, String status, String reason, String message, Instant now) {
    String t = Times.format(now);
    return DeploymentCondition.newBuilder().setType(type).setStatus(status).setReason(reason).setMessage(message)
        .setLastUpdateTime(t).setLastTransitionTime(t).build();
  }

  /** Counts from the sets, conditions carried over from {@code base} (which may hold a fresh NewReplicaSetCreated). */
  public static DeploymentStatus.Builder calculate(Deployment d, DeploymentStatus base, List<ReplicaSet> all,
      ReplicaSet newRS, Instant now) {
    int available = DeploymentUtil.availableReplicas(all);
    int replicas = all.stream().mapToInt(rs -> rs.getStatus().getReplicas()).sum();
    DeploymentStatus.Builder s = base.toBuilder()
        .setObservedGeneration(d.getMetadata().getGeneration())
        .setReplicas(replicas)
        .setUpdatedReplicas(newRS == null ? 0 : newRS.getStatus().getReplicas())
        .setReadyReplicas(all.stream().mapToInt(rs -> rs.getStatus().getReadyReplicas()).sum())
        .setAvailableReplicas(available)
        .setUnavailableReplicas(Math.max(0, d.getSpec().getReplicas() - available));
    if (available >= d.getSpec().getReplicas() - DeploymentUtil.maxUnavailable(d)) {
      DeploymentUtil.setCondition(s, condition(AVAILABLE, "True", "MinimumReplicasAvailable",
          "Deployment has minimum availability.", now));
    } else {
      DeploymentUtil.setCondition(s, condition(AVAILABLE, "False", "MinimumReplicasUnavailable",
          "Deployment does not have minimum availability.", now));
    }
    return s;
  }

  /** Kubernetes' syncRolloutStatus condition logic: complete, progressing, or past its deadline. */
  public static void updateProgressing(Deployment d, DeploymentStatus.Builder s, ReplicaSet newRS, Instant now) {
    if (!d.getSpec().hasProgressDeadlineSeconds() || d.getSpec().getPaused()) {
      return;
    }
    Optional<DeploymentCondition> current = DeploymentUtil.condition(s.build(), PROGRESSING);
    boolean alreadyComplete = s.getReplicas() == s.getUpdatedReplicas()
        && current.map(c -> c.getReason().equals(NEW_RS_AVAILABLE)).orElse(false);
    if (alreadyComplete) {
      return;
    }
    String rsName = newRS == null ? "" : newRS.getMetadata().getName();
    if (DeploymentUtil.complete(d, s.build())) {
      DeploymentUtil.setCondition(s, condition(PROGRESSING, "True", NEW_RS_AVAILABLE,
          "ReplicaSet \"" + rsName + "\" has successfully progressed.", now));
    } else if (DeploymentUtil.progressing(d.getStatus(), s.build())) {
      DeploymentCondition c = condition(PROGRESSING, "True", RS_UPDATED,
          "ReplicaSet \"" + rsName + "\" is progressing.", now);
      if (current.isPresent() && current.get().getStatus().equals("True")) {
        c = c.toBuilder().setLastTransitionTime(current.get().getLastTransitionTime()).build();
      }
      DeploymentUtil.removeCondition(s, PROGRESSING);
      DeploymentUtil.setCondition(s, c);
    } else if (timedOut(d, s.build(), now)) {
      DeploymentUtil.setCondition(s, condition(PROGRESSING, "False", TIMED_OUT,
          "ReplicaSet \"" + rsName + "\" has timed out progressing.", now));
    }
  }

  public static boolean timedOut(Deployment d, DeploymentStatus s, Instant now) {
    Optional<DeploymentCondition> c = DeploymentUtil.condition(s, PROGRESSING);
    if (!d.getSpec().hasProgressDeadlineSeconds() || c.isEmpty() || c.get().getReason().equals(NEW_RS_AVAILABLE)) {
      return false;
    }
    if (c.get().getReason().equals(TIMED_OUT)) {
      return true;
    }
    Instant from = Times.parse(c.get().getLastUpdateTime()).orElse(now);
    return from.plusSeconds(d.getSpec().getProgressDeadlineSeconds()).isBefore(now);
  }

  /** When the deadline falls, if the rollout is still under way: the controller looks again then. */
  public static Optional<Duration> untilDeadline(Deployment d, DeploymentStatus s, Instant now) {
    Optional<DeploymentCondition> c = DeploymentUtil.condition(s, PROGRESSING);
    if (!d.getSpec().hasProgressDeadlineSeconds() || d.getSpec().getPaused() || c.isEmpty()
        || DeploymentUtil.complete(d, s) || c.get().getReason().equals(TIMED_OUT)
        || c.get().getReason().equals(NEW_RS_AVAILABLE)) {
      return Optional.empty();
    }
    Instant from = Times.parse(c.get().getLastUpdateTime()).orElse(now);
    Duration left = Duration.between(now, from.plusSeconds(d.getSpec().getProgressDeadlineSeconds()));
    return Optional.of(left.isNegative() ? Duration.ZERO : left.plusSeconds(1));
  }
}
