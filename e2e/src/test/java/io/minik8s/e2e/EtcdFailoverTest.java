package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Pod;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The api-server keeps serving while one of three etcd members is down. */
class EtcdFailoverTest {

  @Test
  void readsAndWritesWorkWithOneEtcdMemberStopped() throws Exception {
    ControlPlane cp = ControlPlane.shared();
    ApiClient client = cp.client;
    String ns = Objects.freshNamespace(client, "failover");
    client.create(Objects.pod(ns, "before", Map.of()));
    for (int member = 0; member < 3; member++) {
      cp.etcd.stopMember(member);
      try {
        Pod created = client.create(Objects.pod(ns, "while-m" + member + "-down", Map.of()));
        Pod read = client.get(Resources.PODS, ns, "before");
        Pod updated = client.update(read.toBuilder()
            .setMetadata(read.getMetadata().toBuilder().putLabels("seen-with-m" + member + "-down", "yes")).build());
        assertThat(created.getMetadata().getUid()).isNotEmpty();
        assertThat(updated.getMetadata().getLabelsMap()).containsKey("seen-with-m" + member + "-down");
        assertThat(client.list(Resources.PODS, ns, "")).hasSize(2 + member);
      } finally {
        cp.etcd.startMember(member);
        cp.etcd.awaitHealthy(java.time.Duration.ofSeconds(60));
      }
    }
  }
}
