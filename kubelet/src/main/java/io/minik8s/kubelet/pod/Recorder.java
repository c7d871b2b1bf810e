package io.minik8s.kubelet.pod;

import io.minik8s.api.Pod;

/** Where the pod workers report events (Pulling, Started, BackOff...); an EventRecorder in production. */
@FunctionalInterface
public interface Recorder {
  void event(Pod pod, String type, String reason, String message);

  default void normal(Pod pod, String reason, String message) {
    event(pod, "Normal", reason, message);
  }

  default void warning(Pod pod, String reason, String message) {
    event(pod, "Warning", reason, message);
  }
}
