package io.minik8s.controllermanager.controller;

import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Pod states as the controllers see them (Kubernetes' podutil).
 *
 * <p>Mirrors Kubernetes' pkg/api/v1/pod/util.go.
 */
public final class Pods {
  private Pods() {}

  /** Not finished and not being deleted: counts toward a controller's replicas. */
  public static boolean isActive(Pod p) {
    String phase = p.getStatus().getPhase();
    return !phase.equals("Succeeded") && !phase.equals("Failed") && p.getMetadata().getDeletionTimestamp().isEmpty();
  }

  public static boolean isTerminating(Pod p) {
    return !p.getMetadata().getDeletionTimestamp().isEmpty();
  }

  public static boolean isFailed(Pod p) {
    return p.getStatus().getPhase().equals("Failed");
  }

  public static boolean isRunning(Pod p) {
    return p.getStatus().getPhase().equals("Running");
  }

  public static Optional<PodCondition> readyCondition(Pod p) {
    return p.getStatus().getConditionsList().stream().filter(c -> c.getType().equals("Ready")).findFirst();
  }

  public static boolean isReady(Pod p) {
    return readyCondition(p).map(c -> c.getStatus().equals("True")).orElse(false);
  }

  /** Ready for at least minReadySeconds (the pod's Ready condition says since when). */
  public static boolean isAvailable(Pod p, int minReadySeconds, Instant now) {
    Optional<PodCondition> c = readyCondition(p);
    if (c.isEmpty() || !c.get().getStatus().equals("True")) {
      return false;
    }
    if (minReadySeconds == 0) {
      return true;
    }
    Instant since = Times.parse(c.get().getLastTransitionTime()).orElse(Instant.EPOCH);
    return !since.plus(Duration.ofSeconds(minReadySeconds)).isAfter(now);
  }
}
