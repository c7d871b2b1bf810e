package io.minik8s.kubelet.nodestatus;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.api.Lease;
import io.minik8s.api.LeaseSpec;
import io.minik8s.api.ObjectMeta;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The node's heartbeat: the Lease {@code kube-node-lease/NODE}, created on first renewal and
 * renewed every 10 seconds, which the node-lifecycle controller reads to tell a live node from a
 * silent one far more cheaply than from full Node status updates.
 *
 * <p>Mirrors Kubernetes' staging/src/k8s.io/component-helpers/apimachinery/lease/controller.go.
 */
public final class NodeLease {
  public static final String NAMESPACE = "kube-node-lease";
  public static final int DURATION_SECONDS = 40;

  private final ApiClient client;
  private final String nodeName;
  private final Clock clock;

  public NodeLease(ApiClient client, String nodeName, Clock clock) {
    this.client = client;
    this.nodeName = nodeName;
    this.clock = clock;
  }

  public void renew() {
    String now = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
        .withZone(java.time.ZoneOffset.UTC).format(clock.instant().truncatedTo(ChronoUnit.MICROS));
    Optional<Lease> existing = client.find(Resources.LEASES, NAMESPACE, nodeName);
    if (existing.isEmpty()) {
      try {
        client.create(Lease.newBuilder().setApiVersion("coordination.k8s.io/v1").setKind("Lease")
            .setMetadata(ObjectMeta.newBuilder().setName(nodeName).setNamespace(NAMESPACE))
            .setSpec(LeaseSpec.newBuilder().setHolderIdentity(nodeName).setLeaseDurationSeconds(DURATION_SECONDS)
                .setAcquireTime(now).setRenewTime(now))
            .build());
        return;
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
          throw e;
        }
        existing = client.find(Resources.LEASES, NAMESPACE, nodeName);
      }
    }
    Lease lease = existing.orElseThrow();
    client.update(lease.toBuilder().setSpec(lease.getSpec().toBuilder().setHolderIdentity(nodeName)
        .setLeaseDurationSeconds(DURATION_SECONDS).setRenewTime(now)).build());
  }
}
