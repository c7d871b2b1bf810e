package io.minik8s.kubelet.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.IntOrString;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodDNSConfig;
import io.minik8s.api.PodDNSConfigOption;
import io.minik8s.api.PodSpec;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodDnsAndServiceEnvTest {
  static Pod pod(String policy) {
    return Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace("shop").setName("p"))
        .setSpec(PodSpec.newBuilder().setDnsPolicy(policy)).build();
  }

  @Test
  void clusterFirstUsesTheClusterDnsWithKubernetesSearchPath() {
    PodDns dns = PodDns.of(pod("ClusterFirst"), "10.96.0.10", "cluster.local");
    assertThat(dns.nameservers()).containsExactly("10.96.0.10");
    assertThat(dns.searches()).containsExactly("shop.svc.cluster.local", "svc.cluster.local", "cluster.local");
    assertThat(dns.options()).containsExactly("ndots:5");
  }

  @Test
  void defaultKeepsTheNodesResolverAndNoneTakesOnlyDnsConfig() {
    assertThat(PodDns.of(pod("Default"), "10.96.0.10", "cluster.local")).isNull();
    Pod none = pod("None").toBuilder().setSpec(pod("None").getSpec().toBuilder().setDnsConfig(PodDNSConfig.newBuilder()
        .addNameservers("10.0.0.1").addSearches("example.internal")
        .addOptions(PodDNSConfigOption.newBuilder().setName("ndots").setValue("2")))).build();
    PodDns dns = PodDns.of(none, "10.96.0.10", "cluster.local");
    assertThat(dns.nameservers()).containsExactly("10.0.0.1");
    assertThat(dns.searches()).containsExactly("example.internal");
    assertThat(dns.options()).containsExactly("ndots:2");
  }

  @Test
  void hostNetworkPodsFallBackToTheNodesResolver() {
    Pod p = pod("ClusterFirst").toBuilder().setSpec(pod("ClusterFirst").getSpec().toBuilder().setHostNetwork(true)).build();
    assertThat(PodDns.of(p, "10.96.0.10", "cluster.local")).isNull();
  }

  @Test
  void serviceVariablesFollowKubernetesNaming() {
    Service frontend = Service.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("front-end"))
        .setSpec(ServiceSpec.newBuilder().setClusterIp("10.96.0.50")
            .addPorts(ServicePort.newBuilder().setName("http").setPort(80).setProtocol("TCP")
                .setTargetPort(IntOrString.newBuilder().setIntVal(8080)))
            .addPorts(ServicePort.newBuilder().setName("metrics").setPort(9090).setProtocol("TCP")))
        .build();
    Service headless = Service.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("web"))
        .setSpec(ServiceSpec.newBuilder().setClusterIp("None").addPorts(ServicePort.newBuilder().setPort(80))).build();
    List<String> env = ServiceEnv.of(List.of(frontend, headless));
    assertThat(env).contains(
        "FRONT_END_SERVICE_HOST=10.96.0.50",
        "FRONT_END_SERVICE_PORT=80",
        "FRONT_END_SERVICE_PORT_HTTP=80",
        "FRONT_END_SERVICE_PORT_METRICS=9090",
        "FRONT_END_PORT=tcp://10.96.0.50:80",
        "FRONT_END_PORT_80_TCP=tcp://10.96.0.50:80",
        "FRONT_END_PORT_80_TCP_PROTO=tcp",
        "FRONT_END_PORT_80_TCP_PORT=80",
        "FRONT_END_PORT_80_TCP_ADDR=10.96.0.50",
        "FRONT_END_PORT_9090_TCP_ADDR=10.96.0.50");
    assertThat(env).noneMatch(v -> v.startsWith("WEB_"));
  }
}
