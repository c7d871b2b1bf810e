package io.minik8s.kubeproxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Service;
import io.minik8s.api.ServiceSpec;
import io.minik8s.kubeproxy.dns.ClusterDns;
import io.minik8s.kubeproxy.dns.ClusterDns.Answer.Outcome;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterDnsTest {
  static Service svc(String ns, String name, String ip) {
    return Service.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName(name))
        .setSpec(ServiceSpec.newBuilder().setClusterIp(ip)).build();
  }

  final Map<String, Service> services = Map.of(
      "default/frontend", svc("default", "frontend", "10.96.0.50"),
      "default/web", svc("default", "web", "None"));
  final Map<String, Endpoints> endpoints = Map.of("default/web", Endpoints.newBuilder()
      .setMetadata(ObjectMeta.newBuilder().setNamespace("default").setName("web"))
      .addSubsets(EndpointSubset.newBuilder()
          .addAddresses(EndpointAddress.newBuilder().setIp("10.244.0.5").setHostname("web-0"))
          .addAddresses(EndpointAddress.newBuilder().setIp("10.244.1.7").setHostname("web-1"))
          .addNotReadyAddresses(EndpointAddress.newBuilder().setIp("10.244.1.9").setHostname("web-2")))
      .build());
  final ClusterDns dns = new ClusterDns("cluster.local",
      k -> Optional.ofNullable(services.get(k)), k -> Optional.ofNullable(endpoints.get(k)));

  @Test
  void aServiceNameIsItsClusterIp() {
    assertThat(dns.resolve("frontend.default.svc.cluster.local.")).isEqualTo(
        new ClusterDns.Answer(Outcome.FOUND, List.of("10.96.0.50")));
    assertThat(dns.resolve("FRONTEND.Default.svc.cluster.local").addresses()).containsExactly("10.96.0.50");
  }

  @Test
  void aHeadlessServiceNameIsItsReadyPodsAndAPodNameIsThatPod() {
    assertThat(dns.resolve("web.default.svc.cluster.local").addresses()).containsExactly("10.244.0.5", "10.244.1.7");
    assertThat(dns.resolve("web-1.web.default.svc.cluster.local").addresses()).containsExactly("10.244.1.7");
    // not ready: not in DNS
    assertThat(dns.resolve("web-2.web.default.svc.cluster.local").outcome()).isEqualTo(Outcome.NO_SUCH_NAME);
  }

  @Test
  void unknownClusterNamesDoNotExistAndOutsideNamesAreNotOurs() {
    assertThat(dns.resolve("nope.default.svc.cluster.local").outcome()).isEqualTo(Outcome.NO_SUCH_NAME);
    assertThat(dns.resolve("frontend.other.svc.cluster.local").outcome()).isEqualTo(Outcome.NO_SUCH_NAME);
    assertThat(dns.resolve("example.com").outcome()).isEqualTo(Outcome.NOT_OURS);
  }
}
