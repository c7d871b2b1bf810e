package io.minik8s.kubelet.pod;

import io.minik8s.api.Container;
import io.minik8s.api.ContainerState;
import io.minik8s.api.ContainerStateRunning;
import io.minik8s.api.ContainerStateTerminated;
import io.minik8s.api.ContainerStateWaiting;
import io.minik8s.api.ContainerStatus;
import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
import io.minik8s.api.PodIP;
import io.minik8s.api.PodStatus;
import io.minik8s.kubelet.container.RuntimeContainer;
import io.minik8s.kubelet.prober.ProbeResults;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The pod's status as the API shows it, computed from its containers as the runtime reports them
 * (the kubelet's generateAPIPodStatus): phase, conditions, IPs, and each container's state,
 * last state, readiness and restart count. Transition and start times carry over from the
 * previous status so that an unchanged pod yields an unchanged status.
 *
 * <p>Mirrors Kubernetes' pkg/kubelet/kubelet_pods.go (generateAPIPodStatus).
 */
final class PodStatusBuilder {
  private final ProbeResults probes;
  private final String hostIp;
  private final Clock clock;

  PodStatusBuilder(ProbeResults probes, String hostIp, Clock clock) {
    this.probes = probes;
    this.hostIp = hostIp;
    this.clock = clock;
  }

  PodStatus build(Pod pod, List<RuntimeContainer> all, String ip, Map<String, PodSyncer.Waiting> waiting) {
    PodSpecView spec = new PodSpecView(pod);
    PodStatus old = pod.getStatus();
    PodStatus.Builder s = PodStatus.newBuilder().setHostIp(hostIp)
        .setStartTime(old.getStartTime().isEmpty() ? now() : old.getStartTime());
    boolean terminal = spec.terminal(all);
    if (!ip.isEmpty() && !terminal) {
      s.setPodIp(ip).addPodIps(PodIP.newBuilder().setIp(ip));
    } else if (terminal && !old.getPodIp().isEmpty()) {
      s.setPodIp(old.getPodIp()).addAllPodIps(old.getPodIpsList());
    }
    boolean initialized = true;
    for (Container c : pod.getSpec().getInitContainersList()) {
      RuntimeContainer last = PodSyncer.latest(all, c.getName());
      boolean done = last != null && last.state() == RuntimeContainer.State.EXITED && last.exitCode() == 0;
      s.addInitContainerStatuses(status(c, all, waiting.get(c.getName()), initialized ? "PodInitializing" : "PodInitializing"));
      initialized &= done;
    }
    int waitingCount = 0;
    int running = 0;
    int stopped = 0;
    int failed = 0;
    boolean allReady = true;
    for (Container c : pod.getSpec().getContainersList()) {
      ContainerStatus cs = status(c, all, waiting.get(c.getName()), initialized ? "ContainerCreating" : "PodInitializing");
      s.addContainerStatuses(cs);
      allReady &= cs.getReady();
      if (cs.getState().hasRunning()) {
        running++;
      } else if (cs.getState().hasTerminated()) {
        stopped++;
        failed += cs.getState().getTerminated().getExitCode() != 0 ? 1 : 0;
      } else if (cs.getLastState().hasTerminated()) {
        stopped++;
        failed += cs.getLastState().getTerminated().getExitCode() != 0 ? 1 : 0;
      } else {
        waitingCount++;
      }
    }
    String phase;
    if (spec.initFailed(all)) {
      phase = "Failed";
    } else if (!initialized || waitingCount > 0) {
      phase = "Pending";
    } else if (running > 0) {
      phase = "Running";
    } else if (terminal) {
      phase = failed > 0 ? "Failed" : "Succeeded";
    } else {
      phase = "Running"; // stopped but restarting
    }
    s.setPhase(phase);
    boolean ready = allReady && phase.equals("Running");
    String notReadyReason = terminal ? "PodCompleted" : "ContainersNotReady";
    s.addConditions(condition(old, "PodScheduled", true, ""));
    s.addConditions(condition(old, "Initialized", initialized || terminal, initialized ? "" : "ContainersNotInitialized"));
    s.addConditions(condition(old, "ContainersReady", ready, ready ? "" : notReadyReason));
    s.addConditions(condition(old, "Ready", ready, ready ? "" : notReadyReason));
    return s.build();
  }

  private ContainerStatus status(Container c, List<RuntimeContainer> all, PodSyncer.Waiting w, String defaultReason) {
    List<RuntimeContainer> instances = all.stream().filter(x -> x.containerName().equals(c.getName()))
        .sorted(Comparator.comparingInt(RuntimeContainer::restartCount).reversed()).toList();
    ContainerStatus.Builder b = ContainerStatus.newBuilder().setName(c.getName()).setImage(c.getImage());
    if (instances.isEmpty()) {
      return b.setState(waiting(w != null ? w : new PodSyncer.Waiting(defaultReason, ""))).setReady(false)
          .setStarted(false).build();
    }
    RuntimeContainer last = instances.get(0);
    b.setRestartCount(last.restartCount()).setImageId(last.imageId()).setContainerId("docker://" + last.id());
    if (last.running()) {
      b.setState(ContainerState.newBuilder().setRunning(ContainerStateRunning.newBuilder()
          .setStartedAt(time(last.startedAt()))));
      boolean started = probes.started(last.id(), c);
      b.setStarted(started).setReady(started && probes.ready(last.id(), c));
      if (instances.size() > 1 && instances.get(1).exited()) {
        b.setLastState(terminated(instances.get(1)));
      }
    } else if (w != null) {
      b.setState(waiting(w)).setLastState(terminated(last)).setStarted(false).setReady(false);
    } else {
      b.setState(terminated(last)).setStarted(false).setReady(false);
      if (instances.size() > 1 && instances.get(1).exited()) {
        b.setLastState(terminated(instances.get(1)));
      }
    }
    return b.build();
  }

  private static ContainerState waiting(PodSyncer.Waiting w) {
    return ContainerState.newBuilder().setWaiting(ContainerStateWaiting.newBuilder()
        .setReason(w.reason()).setMessage(w.message())).build();
  }

  private static ContainerState terminated(RuntimeContainer c) {
    String reason = c.oomKilled() ? "OOMKilled" : c.exitCode() == 0 ? "Completed" : "Error";
    return ContainerState.newBuilder().setTerminated(ContainerStateTerminated.newBuilder()
        .setExitCode(c.exitCode()).setReason(reason).setStartedAt(time(c.startedAt()))
        .setFinishedAt(time(c.finishedAt())).setContainerId("docker://" + c.id())).build();
  }

  private PodCondition condition(PodStatus old, String type, boolean status, String reason) {
    String value = status ? "True" : "False";
    String since = old.getConditionsList().stream()
        .filter(c -> c.getType().equals(type) && c.getStatus().equals(value))
        .map(PodCondition::getLastTransitionTime).findFirst().orElse(null);
    return PodCondition.newBuilder().setType(type).setStatus(value).setReason(reason)
        .setLastTransitionTime(since != null ? since : now())
        .build();
  }

  private String now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String time(Instant t) {
    return t == null ? "" : t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
