package io.minik8s.controllermanager.controller;

import io.minik8s.api.Pod;
import java.time.Instant;
import java.util.Comparator;

/**
 * Kubernetes' ActivePods order: the pods a controller should delete first come first —
 * unscheduled before scheduled, Pending before Unknown before Running, not ready before ready,
 * ready for less time before longer, more restarts before fewer, newer before older.
 *
 * <p>Mirrors Kubernetes' pkg/controller/controller_utils.go (ActivePods).
 */
public final class ActivePods implements Comparator<Pod> {
  public static final ActivePods ORDER = new ActivePods();

  @Override
  public int compare(Pod a, Pod b) {
    boolean aBound = !a.getSpec().getNodeName().isEmpty();
    boolean bBound = !b.getSpec().getNodeName().isEmpty();
    if (aBound != bBound) {
      return aBound ? 1 : -1;
    }
    int pa = phaseRank(a.getStatus().getPhase());
    int pb = phaseRank(b.getStatus().getPhase());
    if (pa != pb) {
      return Integer.compare(pa, pb);
    }
    boolean aReady = Pods.isReady(a);
    boolean bReady = Pods.isReady(b);
    if (aReady != bReady) {
      return aReady ? 1 : -1;
    }
    if (aReady) {
      int c = readySince(b).compareTo(readySince(a)); // ready more recently first
      if (c != 0) {
        return c;
      }
    }
    int ra = restarts(a);
    int rb = restarts(b);
    if (ra != rb) {
      return Integer.compare(rb, ra);
    }
    return created(b).compareTo(created(a));
  }

  private static int phaseRank(String phase) {
    return switch (phase) {
      case "", "Pending" -> 0;
      case "Unknown" -> 1;
      case "Running" -> 2;
      default -> 3;
    };
  }

  private static Instant readySince(Pod p) {
    return Pods.readyCondition(p).flatMap(c -> Times.parse(c.getLastTransitionTime())).orElse(Instant.EPOCH);
  }

  private static int restarts(Pod p) {
    return p.getStatus().getContainerStatusesList().stream().mapToInt(c -> c.getRestartCount()).max().orElse(0);
  }

  private static Instant created(Pod p) {
    return Times.parse(p.getMetadata().getCreationTimestamp()).orElse(Instant.EPOCH);
  }
}
