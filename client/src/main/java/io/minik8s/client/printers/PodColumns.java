package io.minik8s.client.printers;

import io.minik8s.api.ContainerState;
import io.minik8s.api.ContainerStatus;
import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
import io.minik8s.api.PodStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The pod table: {@code NAME READY STATUS RESTARTS AGE}, and with -o wide
 * {@code IP NODE NOMINATED NODE READINESS GATES}. STATUS follows kubectl: the phase, replaced
 * by what the containers say when one of them is waiting or has terminated
 * ({@code CrashLoopBackOff}, {@code ErrImagePull}, {@code Completed}, {@code Init:0/1}), and
 * {@code Terminating} once the pod is being deleted.
 */
public final class PodColumns {
  private PodColumns() {}

  public static KindColumns<Pod> columns() {
    return KindColumns.of(Pod.class)
        .name()
        .column("READY", PodColumns::ready)
        .column("STATUS", PodColumns::status)
        .column("RESTARTS", PodColumns::restarts)
        .age()
        .wide("IP", p -> Format.orNone(p.getStatus().getPodIp()))
        .wide("NODE", p -> Format.orNone(p.getSpec().getNodeName()))
        .wide("NOMINATED NODE", p -> Format.orNone(p.getStatus().getNominatedNodeName()))
        .wide("READINESS GATES", p -> Format.NONE)
        .build();
  }

  /** {@code ready/total} over the pod's (non-init) containers. */
  public static String ready(Pod pod) {
    int total = Math.max(pod.getSpec().getContainersCount(), pod.getStatus().getContainerStatusesCount());
    long ready = pod.getStatus().getContainerStatusesList().stream().filter(ContainerStatus::getReady).count();
    return ready + "/" + total;
  }

  /** The STATUS column. */
  public static String status(Pod pod) {
    PodStatus st = pod.getStatus();
    String reason = st.getPhase().isEmpty() ? "Pending" : st.getPhase();
    if (!st.getReason().isEmpty()) {
      reason = st.getReason();
    }
    Optional<String> init = initStatus(pod);
    if (init.isPresent()) {
      reason = init.get();
    } else {
      boolean running = false;
      List<ContainerStatus> statuses = st.getContainerStatusesList();
      // The first container's trouble wins, so walk from the last one to the first.
      for (int i = statuses.size() - 1; i >= 0; i--) {
        ContainerState state = statuses.get(i).getState();
        if (state.hasWaiting() && !state.getWaiting().getReason().isEmpty()) {
          reason = state.getWaiting().getReason();
        } else if (state.hasTerminated()) {
          reason = terminatedReason(state, "");
        } else if (statuses.get(i).getReady() && state.hasRunning()) {
          running = true;
        }
      }
      if (reason.equals("Completed") && running) {
        reason = hasReadyCondition(st) ? "Running" : "NotReady";
      }
    }
    if (!pod.getMetadata().getDeletionTimestamp().isEmpty()) {
      reason = "NodeLost".equals(st.getReason()) ? "Unknown" : "Terminating";
    }
    return reason;
  }

  /** The status while init containers still run ({@code Init:1/2}, {@code Init:CrashLoopBackOff}), if they do. */
  private static Optional<String> initStatus(Pod pod) {
    List<ContainerStatus> inits = pod.getStatus().getInitContainerStatusesList();
    for (int i = 0; i < inits.size(); i++) {
      ContainerState state = inits.get(i).getState();
      if (state.hasTerminated() && state.getTerminated().getExitCode() == 0) {
        continue;
      }
      if (state.hasTerminated()) {
        return Optional.of(terminatedReason(state, "Init:"));
      }
      if (state.hasWaiting() && !state.getWaiting().getReason().isEmpty()
          && !state.getWaiting().getReason().equals("PodInitializing")) {
        return Optional.of("Init:" + state.getWaiting().getReason());
      }
      return Optional.of("Init:" + i + "/" + pod.getSpec().getInitContainersCount());
    }
    return Optional.empty();
  }

  private static String terminatedReason(ContainerState state, String prefix) {
    var t = state.getTerminated();
    if (!t.getReason().isEmpty()) {
      return prefix + t.getReason();
    }
    return prefix + (t.getSignal() != 0 ? "Signal:" + t.getSignal() : "ExitCode:" + t.getExitCode());
  }

  private static boolean hasReadyCondition(PodStatus st) {
    for (PodCondition c : st.getConditionsList()) {
      if (c.getType().equals("Ready") && c.getStatus().equals("True")) {
        return true;
      }
    }
    return false;
  }

  /** The RESTARTS column: the containers' restarts, with how long ago the last one was ({@code 3 (45s ago)}). */
  public static String restarts(Pod pod, Instant now) {
    int restarts = 0;
    Instant last = null;
    for (ContainerStatus cs : pod.getStatus().getContainerStatusesList()) {
      restarts += cs.getRestartCount();
      if (cs.getLastState().hasTerminated()) {
        Instant finished = Age.parse(cs.getLastState().getTerminated().getFinishedAt()).orElse(null);
        if (finished != null && (last == null || finished.isAfter(last))) {
          last = finished;
        }
      }
    }
    if (restarts != 0 && last != null) {
      return restarts + " (" + Age.format(java.time.Duration.between(last, now)) + " ago)";
    }
    return Integer.toString(restarts);
  }
}
