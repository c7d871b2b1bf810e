package io.minik8s.scheduler;

import io.minik8s.api.Node;
import io.minik8s.api.Pod;
import io.minik8s.client.informer.ResourceEventHandler;
import io.minik8s.scheduler.cache.SchedulerCache;
import io.minik8s.scheduler.queue.SchedulingQueue;
import java.util.List;

/**
 * Routes informer events: pods bound to a node go to the cache, pending pods this scheduler is
 * responsible for go to the queue, and changes that could make a pending pod fit wake the
 * unschedulable ones. Handlers only update the cache and queue; the scheduling loop does the work.
 *
 * <p>Mirrors Kubernetes' pkg/scheduler/eventhandlers.go.
 */
final class EventHandlers {
  private final SchedulerCache cache;
  private final SchedulingQueue queue;
  private final String schedulerName;

  EventHandlers(SchedulerCache cache, SchedulingQueue queue, String schedulerName) {
    this.cache = cache;
    this.queue = queue;
    this.schedulerName = schedulerName;
  }

  ResourceEventHandler<Pod> pods() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        if (assigned(pod)) {
          if (!terminated(pod)) {
            cache.addOrUpdatePod(pod);
          }
        } else if (responsibleFor(pod)) {
          queue.add(pod);
        }
      }

      @Override
      public void onUpdate(Pod oldPod, Pod newPod) {
        if (assigned(newPod)) {
          if (!assigned(oldPod)) {
            queue.delete(newPod);
          }
          if (terminated(newPod)) {
            assignedPodGone(newPod);
          } else {
            cache.addOrUpdatePod(newPod);
          }
        } else if (responsibleFor(newPod)) {
          queue.update(oldPod, newPod);
        } else {
          queue.delete(newPod);
        }
      }

      @Override
      public void onDelete(Pod pod) {
        if (assigned(pod)) {
          assignedPodGone(pod);
        } else {
          queue.delete(pod);
        }
      }
    };
  }

  ResourceEventHandler<Node> nodes() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Node node) {
        cache.addOrUpdateNode(node);
        queue.moveAllToActiveOrBackoffQueue("NodeAdd");
      }

      @Override
      public void onUpdate(Node oldNode, Node newNode) {
        cache.addOrUpdateNode(newNode);
        if (couldMakePodsFit(oldNode, newNode)) {
          queue.moveAllToActiveOrBackoffQueue("NodeUpdate");
        }
      }

      @Override
      public void onDelete(Node node) {
        cache.removeNode(node.getMetadata().getName());
      }
    };
  }

  private void assignedPodGone(Pod pod) {
    cache.removePod(pod.getMetadata().getUid());
    queue.moveAllToActiveOrBackoffQueue("AssignedPodDelete");
  }

  private boolean responsibleFor(Pod pod) {
    return pod.getSpec().getSchedulerName().equals(schedulerName)
        && pod.getMetadata().getDeletionTimestamp().isEmpty();
  }

  static boolean assigned(Pod pod) {
    return !pod.getSpec().getNodeName().isEmpty();
  }

  /** Finished pods hold no resources, as kube-scheduler's informer filter treats them. */
  static boolean terminated(Pod pod) {
    String phase = pod.getStatus().getPhase();
    return phase.equals("Succeeded") || phase.equals("Failed");
  }

  /**
   * Heartbeats change a node every few seconds without changing where pods fit; only changes to
   * what the filters read (allocatable, labels, taints, cordon, condition statuses) count.
   */
  static boolean couldMakePodsFit(Node oldNode, Node newNode) {
    return !oldNode.getStatus().getAllocatableMap().equals(newNode.getStatus().getAllocatableMap())
        || !oldNode.getStatus().getCapacityMap().equals(newNode.getStatus().getCapacityMap())
        || !oldNode.getMetadata().getLabelsMap().equals(newNode.getMetadata().getLabelsMap())
        || !oldNode.getSpec().getTaintsList().equals(newNode.getSpec().getTaintsList())
        || oldNode.getSpec().getUnschedulable() != newNode.getSpec().getUnschedulable()
        || !conditionStatuses(oldNode).equals(conditionStatuses(newNode));
  }

  private static List<String> conditionStatuses(Node node) {
    return node.getStatus().getConditionsList().stream()
        .map(c -> c.getType() + "=" + c.getStatus()).sorted().toList();
  }
}
