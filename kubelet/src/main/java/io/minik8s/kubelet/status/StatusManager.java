package io.minik8s.kubelet.status;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.api.Pod;
import io.minik8s.api.PodStatus;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes pod statuses to the api-server through the status subresource, only when they changed
 * since the last write, retrying on a conflict with the pod as it is now (the kubelet's
 * status manager, synchronous here: the pod worker that computed a status writes it).
 *
 * <p>Mirrors Kubernetes' pkg/kubelet/status/status_manager.go.
 */
public final class StatusManager {
  private static final Logger log = LoggerFactory.getLogger(StatusManager.class);

  private final ApiClient client;
  private final Map<String, PodStatus> sent = new ConcurrentHashMap<>();

  public StatusManager(ApiClient client) {
    this.client = client;
  }

  public void setPodStatus(Pod pod, PodStatus status) {
    String uid = pod.getMetadata().getUid();
    if (status.equals(sent.get(uid)) || status.equals(pod.getStatus())) {
      sent.put(uid, status);
      return;
    }
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        Pod current = client.get(Resources.PODS, pod.getMetadata().getNamespace(), pod.getMetadata().getName());
        if (!current.getMetadata().getUid().equals(uid)) {
          return;
        }
        client.updateStatus(current.toBuilder().setStatus(status).build());
        sent.put(uid, status);
        return;
      } catch (StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        if (code == Status.Code.NOT_FOUND) {
          return;
        }
        if (code != Status.Code.ABORTED) {
          throw e;
        }
      }
    }
    log.warn("status of pod {}/{} not written after repeated conflicts", pod.getMetadata().getNamespace(),
        pod.getMetadata().getName());
  }

  public void forget(String uid) {
    sent.remove(uid);
  }
}
