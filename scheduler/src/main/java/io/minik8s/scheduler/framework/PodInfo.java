package io.minik8s.scheduler.framework;

import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.OwnerReference;
import io.minik8s.api.Pod;
import io.minik8s.client.api.KubeObjects;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pod with what scheduling needs from it computed once (quantities are parsed here, not on
 * every filter call): its effective requests, the non-zero requests scoring uses, host ports and
 * the uid of its controller.
 */
public record PodInfo(Pod pod, String key, Resource requests, Resource nonZeroRequests,
                      List<HostPort> hostPorts, String controllerUid) {
  /** What scoring assumes for a container that requests nothing, as Kubernetes does. */
  public static final long DEFAULT_MILLI_CPU = 100;
  public static final long DEFAULT_MEMORY = 200L * 1024 * 1024;

  public static PodInfo of(Pod pod) {
    Resource sum = Resource.ZERO;
    Resource nonZero = Resource.ZERO;
    List<HostPort> ports = new ArrayList<>();
    for (Container c : pod.getSpec().getContainersList()) {
      Map<String, String> req = c.getResources().getRequestsMap();
      Resource r = Resource.of(req);
      sum = sum.plus(r);
      nonZero = nonZero.plus(new Resource(
          req.containsKey("cpu") ? r.milliCpu() : DEFAULT_MILLI_CPU,
          req.containsKey("memory") ? r.memory() : DEFAULT_MEMORY));
      for (ContainerPort p : c.getPortsList()) {
        if (p.getHostPort() > 0) {
          ports.add(new HostPort(p.getHostIp(), p.getProtocol(), p.getHostPort()));
        }
      }
    }
    // Init containers run one at a time before the app containers: the pod needs the largest.
    for (Container c : pod.getSpec().getInitContainersList()) {
      Resource r = Resource.of(c.getResources().getRequestsMap());
      sum = sum.max(r);
      nonZero = nonZero.max(r);
    }
    String owner = "";
    for (OwnerReference ref : pod.getMetadata().getOwnerReferencesList()) {
      if (ref.getController()) {
        owner = ref.getUid();
      }
    }
    return new PodInfo(pod, KubeObjects.key(pod), sum, nonZero, List.copyOf(ports), owner);
  }

  public String namespace() {
    return pod.getMetadata().getNamespace();
  }

  public String name() {
    return pod.getMetadata().getName();
  }

  /**
   * What the queue and cache key a pod by: a pod deleted and created again under the same name
   * (a StatefulSet's) is another pod, and the two may both be in flight at once.
   */
  public String uid() {
    return pod.getMetadata().getUid();
  }
}
