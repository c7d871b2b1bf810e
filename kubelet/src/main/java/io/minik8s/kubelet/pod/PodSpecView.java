package io.minik8s.kubelet.pod;

import io.minik8s.api.Container;
import io.minik8s.api.Pod;
import io.minik8s.kubelet.container.RuntimeContainer;
import java.util.List;

/** The restart policy's answers about a pod's containers. */
final class PodSpecView {
  private final Pod pod;
  private final String policy;

  PodSpecView(Pod pod) {
    this.pod = pod;
    String p = pod.getSpec().getRestartPolicy();
    this.policy = p.isEmpty() ? "Always" : p;
  }

  /** Whether an exited container is to be started again (a never-started one always is). */
  boolean restarts(RuntimeContainer last) {
    if (last.state() == RuntimeContainer.State.CREATED) {
      return true;
    }
    if (!last.exited()) {
      return false;
    }
    return switch (policy) {
      case "Never" -> false;
      case "OnFailure" -> last.exitCode() != 0;
      default -> true;
    };
  }

  /** An init container failed for good (restartPolicy Never). */
  boolean initFailed(List<RuntimeContainer> all) {
    for (Container c : pod.getSpec().getInitContainersList()) {
      RuntimeContainer last = PodSyncer.latest(all, c.getName());
      if (last != null && last.state() == RuntimeContainer.State.EXITED && last.exitCode() != 0 && !restarts(last)) {
        return true;
      }
    }
    return false;
  }

  /** Nothing of the pod will run again: Succeeded or Failed. */
  boolean terminal(List<RuntimeContainer> all) {
    if (initFailed(all)) {
      return true;
    }
    if (pod.getSpec().getContainersCount() == 0) {
      return false;
    }
    for (Container c : pod.getSpec().getContainersList()) {
      RuntimeContainer last = PodSyncer.latest(all, c.getName());
      if (last == null || last.state() != RuntimeContainer.State.EXITED || restarts(last)) {
        return false;
      }
    }
    return true;
  }

  String policy() {
    return policy;
  }
}
