package io.minik8s.scheduler.queue;

import io.minik8s.api.Pod;
import io.minik8s.scheduler.framework.PodInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes' PriorityQueue, in three parts:
 * <ul>
 *   <li>active: pods to try now, highest priority first, then oldest;</li>
 *   <li>backoff: pods that failed recently and wait 1 s, doubling per attempt up to 10 s;</li>
 *   <li>unschedulable: pods that fit nowhere. They stay until something happens in the cluster
 *   that could make them fit ({@link #moveAllToActiveOrBackoffQueue}), or, as a safety net,
 *   for {@value #UNSCHEDULABLE_TIMEOUT_MINUTES} minutes — never in a busy loop.</li>
 * </ul>
 * A pod that was being scheduled while such a change happened goes to backoff instead of
 * unschedulable when it fails, since the change may not have been in the snapshot it was tried
 * against (the "move request cycle"). Pods are keyed by UID, not name, as Kubernetes' queue
 * is (pkg/scheduler/internal/queue/scheduling_queue.go): a pod recreated under the same name is
 * a different pod. Time comes from the injected clock.
 */
public final class SchedulingQueue {
  private static final Logger log = LoggerFactory.getLogger(SchedulingQueue.class);

  public static final Duration INITIAL_BACKOFF = Duration.ofSeconds(1);
  public static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  static final int UNSCHEDULABLE_TIMEOUT_MINUTES = 5;
  public static final Duration UNSCHEDULABLE_TIMEOUT = Duration.ofMinutes(UNSCHEDULABLE_TIMEOUT_MINUTES);

  private final Clock clock;
  private final PriorityQueue<QueuedPodInfo> activeQ = new PriorityQueue<>(
      Comparator.comparingInt(QueuedPodInfo::priority).reversed().thenComparing(q -> q.timestamp));
  private final PriorityQueue<QueuedPodInfo> backoffQ;
  private final Map<String, QueuedPodInfo> active = new HashMap<>();
  private final Map<String, QueuedPodInfo> backoff = new HashMap<>();
  private final Map<String, QueuedPodInfo> unschedulable = new HashMap<>();
  private long schedulingCycle;
  private long moveRequestCycle = -1;
  private boolean closed;

  public SchedulingQueue(Clock clock) {
    this.clock = clock;
    this.backoffQ = new PriorityQueue<>(Comparator.comparing(this::backoffExpiry));
  }

  /** A new pending pod: straight to active. */
  public synchronized void add(Pod pod) {
    removeEverywhere(pod.getMetadata().getUid());
    QueuedPodInfo q = new QueuedPodInfo(PodInfo.of(pod), clock.instant());
    addActive(q);
  }

  /**
   * A pending pod changed. An unschedulable pod whose spec or labels changed may fit now, so it
   * is moved on; otherwise the newer pod just replaces the queued one where it is.
   */
  public synchronized void update(Pod oldPod, Pod newPod) {
    PodInfo info = PodInfo.of(newPod);
    QueuedPodInfo q = active.get(info.uid());
    if (q != null) {
      activeQ.remove(q);
      q.podInfo = info;
      activeQ.add(q);
      return;
    }
    q = backoff.get(info.uid());
    if (q != null) {
      backoffQ.remove(q);
      q.podInfo = info;
      backoffQ.add(q);
      return;
    }
    q = unschedulable.get(info.uid());
    if (q != null) {
      q.podInfo = info;
      if (schedulingRelevantChange(oldPod, newPod)) {
        unschedulable.remove(info.uid());
        moveToActiveOrBackoff(q);
      }
      return;
    }
    // Not queued (in flight, or never seen): treat as an add unless it is being scheduled now.
    addActive(new QueuedPodInfo(info, clock.instant()));
  }

  public synchronized void delete(Pod pod) {
    removeEverywhere(pod.getMetadata().getUid());
  }

  /** Waits for an active pod; null once closed. The pod leaves the queue while it is tried. */
  public synchronized QueuedPodInfo pop() throws InterruptedException {
    while (activeQ.isEmpty() && !closed) {
      wait();
    }
    if (closed) {
      return null;
    }
    QueuedPodInfo q = activeQ.poll();
    active.remove(q.uid());
    q.attempts++;
    schedulingCycle++;
    return q;
  }

  /** The cycle number of the pod {@link #pop()} returned last. */
  public synchronized long schedulingCycle() {
    return schedulingCycle;
  }

  /** The pod fits nowhere: park it until a relevant change (or back off if one just happened). */
  public synchronized void addUnschedulableIfNotPresent(QueuedPodInfo q, long podSchedulingCycle) {
    if (isQueued(q.uid()) || closed) {
      return;
    }
    q.timestamp = clock.instant();
    if (moveRequestCycle >= podSchedulingCycle) {
      addBackoff(q);
    } else {
      unschedulable.put(q.uid(), q);
    }
  }

  /** Scheduling failed for another reason (an error, a failed binding): retry after backoff. */
  public synchronized void addBackoffIfNotPresent(QueuedPodInfo q) {
    if (isQueued(q.uid()) || closed) {
      return;
    }
    q.timestamp = clock.instant();
    addBackoff(q);
  }

  /**
   * Something changed that could make unschedulable pods fit (a node added or freed, a pod
   * gone): every one of them moves to active, or to backoff if its backoff has not expired.
   */
  public synchronized void moveAllToActiveOrBackoffQueue(String event) {
    if (!unschedulable.isEmpty()) {
      log.debug("{}: moving {} unschedulable pods", event, unschedulable.size());
    }
    List<QueuedPodInfo> moving = new ArrayList<>(unschedulable.values());
    unschedulable.clear();
    moving.forEach(this::moveToActiveOrBackoff);
    moveRequestCycle = schedulingCycle;
  }

  /** Moves pods whose backoff has expired to active; run every second. */
  public synchronized void flushBackoffQCompleted() {
    Instant now = clock.instant();
    while (!backoffQ.isEmpty() && !backoffExpiry(backoffQ.peek()).isAfter(now)) {
      QueuedPodInfo q = backoffQ.poll();
      backoff.remove(q.uid());
      addActive(q);
    }
  }

  /** Moves pods unschedulable for longer than 5 minutes back; run every 30 seconds. */
  public synchronized void flushUnschedulablePodsLeftover() {
    Instant now = clock.instant();
    List<QueuedPodInfo> stale = unschedulable.values().stream()
        .filter(q -> Duration.between(q.timestamp, now).compareTo(UNSCHEDULABLE_TIMEOUT) > 0)
        .toList();
    for (QueuedPodInfo q : stale) {
      unschedulable.remove(q.uid());
      moveToActiveOrBackoff(q);
    }
  }

  /** Backoff of a pod after its n-th attempt: 1 s, 2 s, 4 s, 8 s, then 10 s. */
  public static Duration backoffDuration(int attempts) {
    Duration d = INITIAL_BACKOFF;
    for (int i = 1; i < attempts && d.compareTo(MAX_BACKOFF) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  public synchronized int activeLength() {
    return active.size();
  }

  public synchronized int backoffLength() {
    return backoff.size();
  }

  public synchronized int unschedulableLength() {
    return unschedulable.size();
  }

  public synchronized boolean isQueued(String uid) {
    return active.containsKey(uid) || backoff.containsKey(uid) || unschedulable.containsKey(uid);
  }

  public synchronized void close() {
    closed = true;
    notifyAll();
  }

  private Instant backoffExpiry(QueuedPodInfo q) {
    return q.timestamp.plus(backoffDuration(q.attempts));
  }

  private void moveToActiveOrBackoff(QueuedPodInfo q) {
    if (backoffExpiry(q).isAfter(clock.instant())) {
      addBackoff(q);
    } else {
      addActive(q);
    }
  }

  private void addActive(QueuedPodInfo q) {
    active.put(q.uid(), q);
    activeQ.add(q);
    notifyAll();
  }

  private void addBackoff(QueuedPodInfo q) {
    backoff.put(q.uid(), q);
    backoffQ.add(q);
  }

  private void removeEverywhere(String uid) {
    QueuedPodInfo q = active.remove(uid);
    if (q != null) {
      activeQ.remove(q);
    }
    q = backoff.remove(uid);
    if (q != null) {
      backoffQ.remove(q);
    }
    unschedulable.remove(uid);
  }

  /** Changes to what filters read; status or resourceVersion alone do not make a pod fit. */
  private static boolean schedulingRelevantChange(Pod oldPod, Pod newPod) {
    return !oldPod.getSpec().equals(newPod.getSpec())
        || !oldPod.getMetadata().getLabelsMap().equals(newPod.getMetadata().getLabelsMap());
  }
}
