package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Pod;
import io.minik8s.apiserver.ApiServer;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A client given several api-servers keeps working when the one it talks to goes away. */
class ClientFailoverTest {

  @Test
  void requestsMoveToTheNextApiServerWhenTheFirstStops() throws Exception {
    ControlPlane cp = ControlPlane.shared();
    ApiServer first = ApiServer.start(ControlPlane.config(cp.etcd));
    ApiServer second = ApiServer.start(ControlPlane.config(cp.etcd));
    try (ApiClient client = ControlPlane.connect("127.0.0.1:" + first.port() + ",127.0.0.1:" + second.port())) {
      String ns = Objects.freshNamespace(client, "failover-client");
      client.create(Objects.pod(ns, "via-first", Map.of()));
      first.close();
      Pod created = client.create(Objects.pod(ns, "via-second", Map.of()));
      assertThat(created.getMetadata().getUid()).isNotEmpty();
      assertThat(client.list(Resources.PODS, ns, "")).hasSize(2);
    } finally {
      first.close();
      second.close();
    }
  }

  @Test
  void mkctlDescribeTellsTheObjectsStory() {
    ControlPlane cp = ControlPlane.shared();
    String ns = Objects.freshNamespace(cp.client, "describe");
    cp.client.create(Objects.replicaSet(ns, "story", 2));
    Mkctl.Result r = Mkctl.run(cp.server(), "describe", "rs", "story", "-n", ns);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("Name:").contains("story").contains("Namespace:").contains(ns)
        .contains("Replicas:").contains("Events:");
  }
}
