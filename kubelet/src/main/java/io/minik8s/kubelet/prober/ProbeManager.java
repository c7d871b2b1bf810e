package io.minik8s.kubelet.prober;

import io.minik8s.api.Container;
import io.minik8s.api.Pod;
import io.minik8s.api.Probe;
import io.minik8s.kubelet.container.ContainerRuntime;
import io.minik8s.kubelet.container.RuntimeContainer;
import io.minik8s.kubelet.pod.Recorder;
import io.minik8s.client.component.SupervisedLoops;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One probe worker per running container instance and probe kind (the kubelet's prober
 * manager). Workers run on their period after the initial delay and keep the verdict once a
 * threshold of consecutive results is reached; a changed verdict asks for a pod sync, which is
 * where a failed liveness probe turns into a restart and readiness into the Ready condition.
 * Liveness and readiness wait until the startup probe, if any, has succeeded.
 *
 * <p>Mirrors Kubernetes' pkg/kubelet/prober/prober_manager.go and worker.go.
 */
public final class ProbeManager implements ProbeResults, AutoCloseable {
  enum Kind { LIVENESS, READINESS, STARTUP }

  private final Prober prober;
  private final Recorder recorder;
  private final Consumer<String> onChange;
  private final Clock clock;
  private final SupervisedLoops loops;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "prober");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Worker> workers = new ConcurrentHashMap<>();

  public ProbeManager(ContainerRuntime runtime, Recorder recorder, Consumer<String> onChange, Clock clock,
                      SupervisedLoops loops) {
    this.loops = loops;
    this.prober = new Prober(runtime);
    this.recorder = recorder;
    this.onChange = onChange;
    this.clock = clock;
  }

  /** Starts workers for the pod's running containers that have probes, stops those of gone ones. */
  public void sync(Pod pod, List<RuntimeContainer> containers, String podIp) {
    Set<String> running = containers.stream().filter(RuntimeContainer::running).map(RuntimeContainer::id)
        .collect(Collectors.toSet());
    workers.values().removeIf(w -> {
      boolean gone = w.pod.getMetadata().getUid().equals(pod.getMetadata().getUid()) && !running.contains(w.containerId);
      if (gone) {
        w.stop();
      }
      return gone;
    });
    for (RuntimeContainer rc : containers) {
      if (!rc.running() || rc.isSandbox()) {
        continue;
      }
      Container spec = pod.getSpec().getContainersList().stream()
          .filter(c -> c.getName().equals(rc.containerName())).findFirst().orElse(null);
      if (spec == null) {
        continue;
      }
      maybeStart(pod, spec, rc, podIp, Kind.STARTUP, spec.hasStartupProbe() ? spec.getStartupProbe() : null);
      maybeStart(pod, spec, rc, podIp, Kind.LIVENESS, spec.hasLivenessProbe() ? spec.getLivenessProbe() : null);
      maybeStart(pod, spec, rc, podIp, Kind.READINESS, spec.hasReadinessProbe() ? spec.getReadinessProbe() : null);
    }
  }

  private void maybeStart(Pod pod, Container spec, RuntimeContainer rc, String podIp, Kind kind, Probe probe) {
    if (probe == null) {
      return;
    }
    workers.computeIfAbsent(rc.id() + "/" + kind, k -> {
      Worker w = new Worker(pod, spec, rc.id(), podIp, kind, probe);
      Instant started = rc.startedAt() == null ? clock.instant() : rc.startedAt();
      long delay = Math.max(0, Duration.ofSeconds(probe.getInitialDelaySeconds())
          .minus(Duration.between(started, clock.instant())).toMillis());
      long period = Math.max(1, probe.getPeriodSeconds() == 0 ? 10 : probe.getPeriodSeconds()) * 1000L;
      // a throwing task would never run again: the container would go unprobed
      w.future = scheduler.scheduleWithFixedDelay(() -> loops.runPass("prober", w::run), delay, period,
          TimeUnit.MILLISECONDS);
      return w;
    });
  }

  public void removePod(String uid) {
    workers.values().removeIf(w -> {
      boolean mine = w.pod.getMetadata().getUid().equals(uid);
      if (mine) {
        w.stop();
      }
      return mine;
    });
  }

  private Boolean result(String containerId, Kind kind) {
    Worker w = workers.get(containerId + "/" + kind);
    return w == null ? null : w.result;
  }

  @Override
  public boolean ready(String containerId, Container spec) {
    if (!spec.hasReadinessProbe()) {
      return true;
    }
    return Boolean.TRUE.equals(result(containerId, Kind.READINESS));
  }

  @Override
  public boolean started(String containerId, Container spec) {
    if (!spec.hasStartupProbe()) {
      return true;
    }
    return Boolean.TRUE.equals(result(containerId, Kind.STARTUP));
  }

  @Override
  public boolean shouldRestart(String containerId) {
    return Boolean.FALSE.equals(result(containerId, Kind.LIVENESS))
        || Boolean.FALSE.equals(result(containerId, Kind.STARTUP));
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  private final class Worker {
    final Pod pod;
    final Container spec;
    final String containerId;
    final String podIp;
    final Kind kind;
    final Probe probe;
    /** null: no verdict yet (readiness counts as not ready, liveness as alive). */
    volatile Boolean result;
    int successes;
    int failures;
    ScheduledFuture<?> future;

    Worker(Pod pod, Container spec, String containerId, String podIp, Kind kind, Probe probe) {
      this.pod = pod;
      this.spec = spec;
      this.containerId = containerId;
      this.podIp = podIp;
      this.kind = kind;
      this.probe = probe;
    }

    void run() {
      if (kind != Kind.STARTUP && spec.hasStartupProbe() && !started(containerId, spec)) {
        return;
      }
      if (kind == Kind.STARTUP && Boolean.TRUE.equals(result)) {
        return; // a startup probe stops probing once it has succeeded
      }
      Prober.Outcome o = prober.probe(probe, spec, containerId, podIp);
      Boolean before = result;
      if (o.success()) {
        failures = 0;
        if (++successes >= Math.max(1, probe.getSuccessThreshold())) {
          result = true;
        }
      } else {
        successes = 0;
        recorder.warning(pod, "Unhealthy", name() + " probe failed: " + o.message());
        if (++failures >= Math.max(1, probe.getFailureThreshold() == 0 ? 3 : probe.getFailureThreshold())) {
          result = false;
        }
      }
      if (!java.util.Objects.equals(before, result)) {
        onChange.accept(pod.getMetadata().getUid());
      }
    }

    private String name() {
      return switch (kind) {
        case LIVENESS -> "Liveness";
        case READINESS -> "Readiness";
        case STARTUP -> "Startup";
      };
    }

    void stop() {
      if (future != null) {
        future.cancel(false);
      }
    }
  }
}
