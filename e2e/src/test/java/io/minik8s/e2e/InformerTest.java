package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Pod;
import io.minik8s.apiserver.ApiServer;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import io.minik8s.client.informer.Informer;
import io.minik8s.client.informer.ResourceEventHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The client library's informer against a real api-server. */
class InformerTest {

  static final class Recorder implements ResourceEventHandler<Pod> {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void onAdd(Pod p) {
      seen.add("add " + p.getMetadata().getName());
    }

    @Override
    public void onUpdate(Pod o, Pod n) {
      seen.add("update " + n.getMetadata().getName());
    }

    @Override
    public void onDelete(Pod p) {
      seen.add("delete " + p.getMetadata().getName());
    }
  }

  @Test
  void anInformerListsThenFollowsChangesAndKeepsItsIndexesCurrent() throws Exception {
    ControlPlane cp = ControlPlane.shared();
    ApiClient client = cp.client;
    String ns = Objects.freshNamespace(client, "informer");
    client.create(Objects.pod(ns, "existing", Map.of("app", "x")));
    Recorder rec = new Recorder();
    try (Informer<Pod> informer = new Informer<Pod>(client, Resources.PODS, ns, "", "")) {
      informer.addIndex("app", p -> List.of(p.getMetadata().getLabelsOrDefault("app", "")));
      informer.addEventHandler(rec);
      informer.start();
      assertThat(informer.waitForSync(Duration.ofSeconds(10))).isTrue();
      assertThat(informer.cache().get(ns, "existing")).isPresent();

      client.create(Objects.pod(ns, "new", Map.of("app", "y")));
      Pod p = client.get(Resources.PODS, ns, "existing");
      client.update(p.toBuilder().setMetadata(p.getMetadata().toBuilder().putLabels("app", "y")).build());
      client.delete(Resources.PODS, ns, "new");

      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> rec.seen.size() >= 4);
      assertThat(rec.seen).containsExactly("add existing", "add new", "update existing", "delete new");
      assertThat(informer.cache().byIndex("app", "y")).extracting(x -> x.getMetadata().getName()).containsExactly("existing");
      assertThat(informer.cache().byIndex("app", "x")).isEmpty();
    }
  }

  @Test
  void anInformerSurvivesAnApiServerRestartAndCatchesUpOnWhatItMissed() throws Exception {
    ControlPlane cp = ControlPlane.shared();
    ApiServer.Config config = ControlPlane.config(cp.etcd).withPorts(EtcdCluster.freePort(), 0);
    ApiServer server = ApiServer.start(config);
    String ns = Objects.freshNamespace(cp.client, "informer-restart");
    Recorder rec = new Recorder();
    try (ApiClient client = ControlPlane.connect("127.0.0.1:" + config.port());
        Informer<Pod> informer = new Informer<Pod>(client, Resources.PODS, ns, "", "")) {
      informer.addEventHandler(rec);
      informer.start();
      assertThat(informer.waitForSync(Duration.ofSeconds(10))).isTrue();
      server.close();
      cp.client.create(Objects.pod(ns, "while-down", Map.of()));
      server = ApiServer.start(config);
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> informer.cache().get(ns, "while-down").isPresent());
      assertThat(rec.seen).containsExactly("add while-down");
    } finally {
      server.close();
    }
  }
}
