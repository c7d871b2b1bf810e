package io.minik8s.scheduler;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.minik8s.api.Binding;
import io.minik8s.api.Empty;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.ObjectReference;
import io.minik8s.api.Pod;
import io.minik8s.client.component.SupervisedLoops;
import io.minik8s.client.events.EventRecorder;
import io.minik8s.scheduler.cache.SchedulerCache;
import io.minik8s.scheduler.cache.Snapshot;
import io.minik8s.scheduler.framework.FitError;
import io.minik8s.scheduler.framework.Framework;
import io.minik8s.scheduler.framework.PodInfo;
import io.minik8s.scheduler.queue.QueuedPodInfo;
import io.minik8s.scheduler.queue.SchedulingQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduling loop (Kubernetes' scheduleOne): take the next pod from the queue, decide its
 * node against a fresh snapshot of the cache, assume it there, and write the binding
 * asynchronously so the next decision need not wait for the api-server. One thread decides;
 * bindings run concurrently.
 *
 * <p>Mirrors Kubernetes' pkg/scheduler/schedule_one.go.
 */
final class Scheduler {
  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
  /** Its name in {@code loop_errors_total}. */
  static final String LOOP = "scheduling";
  private final PodBinder binder;
  private final SchedulerCache cache;
  private final SchedulingQueue queue;
  private final Framework framework;
  private final EventRecorder recorder;
  private final SchedulerMetrics metrics;
  private final Clock clock;
  /** The pod as the informer knows it now, to drop pods deleted or bound while they waited. */
  private final Function<String, Optional<Pod>> currentPod;
  private final SupervisedLoops loops;
  private final Snapshot snapshot = new Snapshot();
  private volatile boolean stopped;

  Scheduler(PodBinder binder, SchedulerCache cache, SchedulingQueue queue, Framework framework,
            EventRecorder recorder, SchedulerMetrics metrics, Clock clock, Function<String, Optional<Pod>> currentPod,
            SupervisedLoops loops) {
    this.loops = loops;
    this.binder = binder;
    this.cache = cache;
    this.queue = queue;
    this.framework = framework;
    this.recorder = recorder;
    this.metrics = metrics;
    this.clock = clock;
    this.currentPod = currentPod;
  }

  void run() {
    log.info("scheduling loop started");
    while (!stopped) {
      try {
        if (!scheduleOne()) {
          break;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Throwable t) {
        // one bad pod, or an Error, must never stop the loop
        loops.failed(LOOP, t);
      }
    }
    log.info("scheduling loop stopped");
  }

  void stop() {
    stopped = true;
  }

  /** One pod: false when the queue is closed. */
  boolean scheduleOne() throws InterruptedException {
    QueuedPodInfo q = queue.pop();
    if (q == null || stopped) {
      return false;
    }
    long cycle = queue.schedulingCycle();
    PodInfo pod = q.podInfo();
    if (skip(pod)) {
      return true;
    }
    cache.updateSnapshot(snapshot);
    long start = System.nanoTime();
    Framework.Result result;
    try {
      result = framework.schedule(pod, snapshot.nodes());
    } catch (FitError e) {
      metrics.unschedulable.increment();
      log.info("pod {} is unschedulable: {}", pod.key(), e.getMessage());
      recorder.warning(pod.pod(), "FailedScheduling", e.getMessage());
      requeue(q, () -> queue.addUnschedulableIfNotPresent(q, cycle));
      return true;
    } finally {
      metrics.algorithmLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
    cache.assumePod(pod, result.nodeName());
    bind(q, result.nodeName());
    return true;
  }

  /**
   * Pods assumed already (a stale queue entry) or no longer pending are not scheduled again, nor
   * is an entry whose pod was deleted and recreated under its name: the new pod has its own.
   */
  private boolean skip(PodInfo pod) {
    return cache.isAssumed(pod.uid()) || !stillPending(pod);
  }

  /** The informer still has this very pod (same UID), without a node and not being deleted. */
  private boolean stillPending(PodInfo pod) {
    Optional<Pod> now = currentPod.apply(pod.key());
    return now.isPresent() && now.get().getMetadata().getUid().equals(pod.uid())
        && now.get().getSpec().getNodeName().isEmpty()
        && now.get().getMetadata().getDeletionTimestamp().isEmpty();
  }

  private void bind(QueuedPodInfo q, String nodeName) {
    PodInfo pod = q.podInfo();
    Binding binding = Binding.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(pod.namespace()).setName(pod.name())
            .setUid(pod.pod().getMetadata().getUid()))
        .setTarget(ObjectReference.newBuilder().setKind("Node").setName(nodeName))
        .build();
    binder.bind(binding, new StreamObserver<>() {
      @Override
      public void onNext(Empty value) {}

      @Override
      public void onError(Throwable t) {
        bindingFailed(q, nodeName, t);
      }

      @Override
      public void onCompleted() {
        cache.finishBinding(pod.uid());
        metrics.scheduled.increment();
        metrics.e2eLatency.record(Duration.between(q.initialAttemptTimestamp(), clock.instant()));
        recorder.normal(pod.pod(), "Scheduled",
            "Successfully assigned " + pod.namespace() + "/" + pod.name() + " to " + nodeName);
      }
    });
  }

  private void bindingFailed(QueuedPodInfo q, String nodeName, Throwable t) {
    PodInfo pod = q.podInfo();
    cache.forgetPod(pod.uid());
    // The node's room is back: pods parked as unschedulable may fit there now.
    queue.moveAllToActiveOrBackoffQueue("AssignedPodDelete");
    Status status = Status.fromThrowable(t);
    metrics.error.increment();
    log.warn("binding pod {} to {} failed: {}", pod.key(), nodeName, status);
    recorder.warning(pod.pod(), "FailedScheduling", "Binding rejected: " + status.getDescription());
    requeue(q, () -> queue.addBackoffIfNotPresent(q));
  }

  /** Puts the pod back only if it still exists (the same UID) and still waits for a node. */
  private void requeue(QueuedPodInfo q, Runnable put) {
    if (stillPending(q.podInfo())) {
      put.run();
    }
  }
}
