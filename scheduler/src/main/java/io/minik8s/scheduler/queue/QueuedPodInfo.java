package io.minik8s.scheduler.queue;

import io.minik8s.scheduler.framework.PodInfo;
import java.time.Instant;

/**
 * A pod waiting in the scheduling queue: the pod, when it was (re)queued, and how many times
 * the scheduler has tried it, which sets its backoff.
 *
 * <p>Mirrors Kubernetes' pkg/scheduler/framework/types.go (QueuedPodInfo).
 */
public final class QueuedPodInfo {
  PodInfo podInfo;
  Instant timestamp;
  int attempts;
  final Instant initialAttemptTimestamp;

  QueuedPodInfo(PodInfo podInfo, Instant now) {
    this.podInfo = podInfo;
    this.timestamp = now;
    this.initialAttemptTimestamp = now;
  }

  public PodInfo podInfo() {
    return podInfo;
  }

  /** namespace/name, for logs and the informer's cache. */
  public String key() {
    return podInfo.key();
  }

  /** What the queue keys it by. */
  public String uid() {
    return podInfo.uid();
  }

  public int attempts() {
    return attempts;
  }

  /** When the pod first entered the queue: the start of its end-to-end scheduling latency. */
  public Instant initialAttemptTimestamp() {
    return initialAttemptTimestamp;
  }

  int priority() {
    return podInfo.pod().getSpec().hasPriority() ? podInfo.pod().getSpec().getPriority() : 0;
  }
}
