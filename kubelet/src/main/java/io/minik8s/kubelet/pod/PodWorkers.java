package io.minik8s.kubelet.pod;

import io.minik8s.api.Pod;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One serialized worker per pod UID (the kubelet's podWorkers). An update that arrives while
 * the pod's worker is busy replaces the pending one, so the worker always acts on the newest
 * desired state and never on a backlog, except that a pending kill is never replaced by a sync:
 * once a pod is to be killed, nothing brings it back. After a kill the UID is remembered and
 * later syncs for it are dropped, until housekeeping finds the pod gone from both the API and
 * the runtime ({@link #syncKnownPods}).
 *
 * <p>Mirrors Kubernetes' pkg/kubelet/pod_workers.go.
 */
public final class PodWorkers {
  private static final Logger log = LoggerFactory.getLogger(PodWorkers.class);

  public enum UpdateType { SYNC, KILL }

  /** What a worker does; one call at a time per UID. */
  public interface SyncHandler {
    void sync(Pod pod) throws Exception;

    void kill(Pod pod) throws Exception;
  }

  private static final class Worker {
    Pod pending;
    UpdateType pendingType;
    boolean running;
  }

  private final ExecutorService executor;
  private final SyncHandler handler;
  private final Map<String, Worker> workers = new HashMap<>();
  private final Set<String> killed = ConcurrentHashMap.newKeySet();

  public PodWorkers(ExecutorService executor, SyncHandler handler) {
    this.executor = executor;
    this.handler = handler;
  }

  public synchronized void update(Pod pod, UpdateType type) {
    String uid = pod.getMetadata().getUid();
    if (type == UpdateType.SYNC && killed.contains(uid)) {
      return;
    }
    Worker w = workers.computeIfAbsent(uid, u -> new Worker());
    if (w.pendingType == UpdateType.KILL && type == UpdateType.SYNC) {
      return;
    }
    w.pending = pod;
    w.pendingType = type;
    if (!w.running) {
      w.running = true;
      executor.execute(() -> loop(uid));
    }
  }

  public boolean wasKilled(String uid) {
    return killed.contains(uid);
  }

  public int killedCount() {
    return killed.size();
  }

  /**
   * Forgets the killed pods that neither the API nor the runtime has any more ({@code known}:
   * the UIDs the informer still holds plus those with containers on the node), as Kubernetes'
   * podWorkers.SyncKnownPods (pkg/kubelet/pod_workers.go) forgets terminated pods once they are
   * cleaned up. Without it the set grows by one UID per pod this node ever ran. A late sync of a
   * forgotten pod does nothing: the kubelet syncs only pods its informer still has.
   */
  public void syncKnownPods(Set<String> known) {
    killed.retainAll(known);
  }

  private void loop(String uid) {
    while (true) {
      Pod pod;
      UpdateType type;
      synchronized (this) {
        Worker w = workers.get(uid);
        if (w.pending == null) {
          w.running = false;
          workers.remove(uid);
          return;
        }
        pod = w.pending;
        type = w.pendingType;
        w.pending = null;
        w.pendingType = null;
        if (type == UpdateType.SYNC && killed.contains(uid)) {
          continue;
        }
      }
      try {
        if (type == UpdateType.KILL) {
          handler.kill(pod);
          killed.add(uid);
        } else {
          handler.sync(pod);
        }
      } catch (Throwable t) {
        // One bad pod never kills its worker: the periodic resync will try again.
        log.warn("{} of pod {}/{} failed: {}", type, pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
            t.toString());
      }
    }
  }
}
