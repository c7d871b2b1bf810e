package io.minik8s.kubelet.container;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The Docker calls that add or take away an endpoint of a network, made one at a time. A
 * container joins its network (a pod's sandbox, the pod network) when it starts and leaves it
 * when it stops or is removed while running. Docker 20.10 keeps a count of each network's
 * endpoints apart from the endpoints themselves and loses updates of that count when endpoints of
 * one network come and go at the same time (a kubelet's pod workers starting pods while others
 * are killed); the count stays above zero with no endpoint left, and {@code docker network rm}
 * answers "has active endpoints" until dockerd restarts (it recounts at start). Serialized, each
 * update reads the count the one before wrote. Containers that share another's network namespace
 * ({@code container:ID}), the host's, or none never change an endpoint and are not held up.
 * Kubernetes' dockershim had no such lock: its CNI plugins do not keep such a count.
 */
final class EndpointChanges {
  private final ReentrantLock lock = new ReentrantLock();
  /** Whether a container's network mode gives it an endpoint, by container id. */
  private final Map<String, Boolean> joins = new ConcurrentHashMap<>();
  private final Function<String, String> networkModeOf;

  /** @param networkModeOf a container's network mode by id, null when there is no such container */
  EndpointChanges(Function<String, String> networkModeOf) {
    this.networkModeOf = networkModeOf;
  }

  /** A container this kubelet created: its network mode is known without asking Docker. */
  void created(String id, String networkMode) {
    joins.put(id, hasEndpoint(networkMode));
  }

  /** Runs a call that may add or remove the container's endpoint, alone among such calls. */
  void run(String id, Runnable call) {
    if (!joins.computeIfAbsent(id, c -> hasEndpoint(networkModeOf.apply(c)))) {
      call.run();
      return;
    }
    lock.lock();
    try {
      call.run();
    } finally {
      lock.unlock();
    }
  }

  /** Runs a call that must see no endpoint change in flight (a look for stale endpoints). */
  <T> T exclusive(java.util.function.Supplier<T> call) {
    lock.lock();
    try {
      return call.get();
    } finally {
      lock.unlock();
    }
  }

  /** The container is gone: forget it. */
  void removed(String id) {
    joins.remove(id);
  }

  static boolean hasEndpoint(String networkMode) {
    return networkMode != null && !networkMode.equals("host") && !networkMode.equals("none")
        && !networkMode.startsWith("container:");
  }
}
