package io.minik8s.kubelet.prober;

import io.minik8s.api.Container;

/**
 * What the pod workers ask of the probes about one running container instance.
 *
 * <p>Mirrors Kubernetes' pkg/kubelet/prober/results/results_manager.go.
 */
public interface ProbeResults {
  /** Readiness: true without a readiness probe, else the probe's latest verdict (false until it has one). */
  boolean ready(String containerId, Container spec);

  /** Startup: true without a startup probe, else once it has succeeded. */
  boolean started(String containerId, Container spec);

  /** Whether a liveness or startup probe has failed past its threshold: the container must be restarted. */
  boolean shouldRestart(String containerId);

  /** No probes at all: every container is ready and started as soon as it runs. */
  ProbeResults NONE = new ProbeResults() {
    @Override
    public boolean ready(String containerId, Container spec) {
      return !spec.hasReadinessProbe();
    }

    @Override
    public boolean started(String containerId, Container spec) {
      return true;
    }

    @Override
    public boolean shouldRestart(String containerId) {
      return false;
    }
  };
}
