package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minik8s.api.IntOrString;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.apiserver.ApiServer;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ClusterIPs and node ports: allocated from their ranges, never twice, given back on delete. */
class ServiceAllocationTest {
  static ControlPlane cp;
  static ApiClient client;

  @BeforeAll
  static void start() {
    cp = ControlPlane.shared();
    client = cp.client;
  }

  static Service svc(String ns, String name, String type, String clusterIp, int nodePort) {
    return Service.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName(name))
        .setSpec(ServiceSpec.newBuilder().setType(type).setClusterIp(clusterIp).putSelector("app", name)
            .addPorts(ServicePort.newBuilder().setPort(80).setTargetPort(IntOrString.newBuilder().setIntVal(8080))
                .setNodePort(nodePort)))
        .build();
  }

  static long ipValue(String ip) {
    long v = 0;
    for (String part : ip.split("\\.")) {
      v = v * 256 + Integer.parseInt(part);
    }
    return v;
  }

  @Test
  void eachServiceGetsItsOwnClusterIpFromTheRange() {
    String ns = Objects.freshNamespace(client, "svc-ip");
    Service a = client.create(svc(ns, "a", "ClusterIP", "", 0));
    Service b = client.create(svc(ns, "b", "ClusterIP", "", 0));
    for (Service s : List.of(a, b)) {
      long v = ipValue(s.getSpec().getClusterIp());
      assertThat(v).isBetween(ipValue("10.96.0.16"), ipValue("10.111.255.254"));
      assertThat(s.getSpec().getClusterIpsList()).containsExactly(s.getSpec().getClusterIp());
    }
    assertThat(a.getSpec().getClusterIp()).isNotEqualTo(b.getSpec().getClusterIp());
    Service headless = client.create(svc(ns, "h", "ClusterIP", "None", 0));
    assertThat(headless.getSpec().getClusterIp()).isEqualTo("None");
  }

  @Test
  void aRequestedClusterIpIsGivenOnceAndFreedWhenTheServiceGoes() {
    String ns = Objects.freshNamespace(client, "svc-fixed");
    Service first = client.create(svc(ns, "dns", "ClusterIP", "10.96.0.77", 0));
    assertThat(first.getSpec().getClusterIp()).isEqualTo("10.96.0.77");
    assertThatThrownBy(() -> client.create(svc(ns, "dns2", "ClusterIP", "10.96.0.77", 0)))
        .hasMessageContaining("Service \"dns2\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.96.0.77\"}: provided IP is already allocated");
    assertThat(client.find(Resources.SERVICES, ns, "dns2")).isEmpty();
    assertThatThrownBy(() -> client.create(svc(ns, "outside", "ClusterIP", "192.168.1.1", 0)))
        .hasMessageContaining("provided IP is not in the valid range");
    client.delete(Resources.SERVICES, ns, "dns");
    assertThat(client.<Service>create(svc(ns, "dns2", "ClusterIP", "10.96.0.77", 0)).getSpec().getClusterIp())
        .isEqualTo("10.96.0.77");
    client.delete(Resources.SERVICES, ns, "dns2");
  }

  @Test
  void nodePortsComeFromTheRangeAndAreNeverShared() {
    String ns = Objects.freshNamespace(client, "svc-np");
    Service auto = client.create(svc(ns, "auto", "NodePort", "", 0));
    assertThat(auto.getSpec().getPorts(0).getNodePort()).isBetween(30000, 32767);
    int fixed = 30000 + (int) (System.nanoTime() % 2000) + 500;
    client.create(svc(ns, "fixed", "NodePort", "", fixed));
    assertThatThrownBy(() -> client.create(svc(ns, "clash", "NodePort", "", fixed)))
        .hasMessageContaining("spec.ports[].nodePort: Invalid value: " + fixed + ": provided port is already allocated");
    assertThatThrownBy(() -> client.create(svc(ns, "low", "NodePort", "", 8080)))
        .hasMessageContaining("provided port is not in the valid range. The range of valid ports is 30000-32767");
    // Changing the Service keeps its ClusterIP and node port.
    Service current = client.get(Resources.SERVICES, ns, "fixed");
    Service relabelled = client.update(current.toBuilder()
        .setMetadata(current.getMetadata().toBuilder().putLabels("x", "y"))
        .setSpec(current.getSpec().toBuilder().clearClusterIp().clearClusterIps()
            .setPorts(0, current.getSpec().getPorts(0).toBuilder().setNodePort(0))).build());
    assertThat(relabelled.getSpec().getClusterIp()).isEqualTo(current.getSpec().getClusterIp());
    assertThat(relabelled.getSpec().getPorts(0).getNodePort()).isEqualTo(fixed);
    client.delete(Resources.SERVICES, ns, "fixed");
    client.create(svc(ns, "clash", "NodePort", "", fixed));
    client.delete(Resources.SERVICES, ns, "clash");
  }

  @Test
  void reapplyingTheFrontendServiceIsUnchangedAndKeepsItsAddresses() {
    String ns = Objects.freshNamespace(client, "svc-apply");
    String file = Path.of("..", "examples", "frontend-service.yaml").toString();
    // The sample asks for node port 30080: tests that apply it delete their namespace after.
    Mkctl.Result created = Mkctl.run(cp.server(), "apply", "-n", ns, "-f", file);
    assertThat(created.exitCode()).as(created.toString()).isZero();
    Service first = client.get(Resources.SERVICES, ns, "frontend");
    assertThat(first.getSpec().getPorts(0).getNodePort()).isEqualTo(30080);
    Mkctl.Result again = Mkctl.run(cp.server(), "apply", "-n", ns, "-f", file);
    assertThat(again.out().trim()).as(again.toString()).isEqualTo("service/frontend unchanged");
    assertThat(client.<Service>get(Resources.SERVICES, ns, "frontend").getSpec().getClusterIp())
        .isEqualTo(first.getSpec().getClusterIp());
    Objects.deleteNamespace(client, ns); // gives 30080 back for other tests
  }

  @Test
  void twoApiServersAllocatingAtOnceNeverGiveTheSameAddressTwice() throws Exception {
    ApiServer other = ApiServer.start(ControlPlane.config(cp.etcd));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (ApiClient second = ControlPlane.connect("127.0.0.1:" + other.port())) {
      String ns = Objects.freshNamespace(client, "svc-race");
      List<Future<Service>> futures = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        ApiClient c = i % 2 == 0 ? client : second;
        String name = "s" + i;
        futures.add(pool.submit(() -> c.create(svc(ns, name, "NodePort", "", 0))));
      }
      Set<String> ips = new HashSet<>();
      Set<Integer> ports = new HashSet<>();
      for (Future<Service> f : futures) {
        Service s = f.get();
        ips.add(s.getSpec().getClusterIp());
        ports.add(s.getSpec().getPorts(0).getNodePort());
      }
      assertThat(ips).hasSize(60);
      assertThat(ports).hasSize(60);
      Objects.deleteNamespace(client, ns);
    } finally {
      pool.shutdown();
      other.close();
    }
  }
}
