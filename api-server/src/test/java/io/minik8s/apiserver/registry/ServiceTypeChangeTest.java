package io.minik8s.apiserver.registry;

import static io.minik8s.apiserver.registry.RegistryFixture.IP_PREFIX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minik8s.api.IntOrString;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.client.api.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Service that changes type gains or gives up its ClusterIP through the allocator, as
 * Kubernetes' service REST storage does on update: an ExternalName Service turned ClusterIP may not
 * take an address another Service holds or one outside the range.
 */
@Timeout(30)
class ServiceTypeChangeTest {
  final RegistryFixture f = new RegistryFixture();

  static Service externalName(String name) {
    return Service.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace("ns").setName(name))
        .setSpec(ServiceSpec.newBuilder().setType("ExternalName").setExternalName("db.example.com")).build();
  }

  static Service clusterIp(String name, String ip) {
    return Service.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace("ns").setName(name))
        .setSpec(ServiceSpec.newBuilder().setType("ClusterIP").setClusterIp(ip).putSelector("app", name)
            .addPorts(ServicePort.newBuilder().setPort(80).setTargetPort(IntOrString.newBuilder().setIntVal(8080))))
        .build();
  }

  /** The stored ExternalName Service turned into a ClusterIP one asking for {@code ip}. */
  private Service toClusterIp(String name, String ip) {
    Service stored = (Service) f.registry.get(Resources.SERVICES, "ns", name);
    Service wanted = clusterIp(name, ip);
    return wanted.toBuilder().setMetadata(stored.getMetadata()).build();
  }

  @Test
  void externalNameToClusterIpMayNotTakeAnotherServicesAddress() {
    Service dns = (Service) f.registry.create(clusterIp("dns", "10.96.0.10"), false);
    f.registry.create(externalName("db"), false);
    Service before = (Service) f.registry.get(Resources.SERVICES, "ns", "db");

    assertThatThrownBy(() -> f.registry.update(toClusterIp("db", "10.96.0.10"), false))
        .isInstanceOf(ApiException.class)
        .hasMessage("Service \"db\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.96.0.10\"}: "
            + "provided IP is already allocated");

    assertThat((Service) f.registry.get(Resources.SERVICES, "ns", "db")).isEqualTo(before);
    assertThat((Service) f.registry.get(Resources.SERVICES, "ns", "dns")).isEqualTo(dns);
    assertThat(f.store.keys(IP_PREFIX)).containsExactly(IP_PREFIX + "10.96.0.10");
  }

  @Test
  void externalNameToClusterIpMayNotTakeAnAddressOutsideTheRange() {
    f.registry.create(externalName("db"), false);

    assertThatThrownBy(() -> f.registry.update(toClusterIp("db", "10.0.0.1"), false))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("spec.clusterIPs: Invalid value: []string{\"10.0.0.1\"}: provided IP is not in the valid range");
    assertThat(f.store.keys(IP_PREFIX)).isEmpty();
  }

  @Test
  void externalNameToClusterIpGetsAnAddressOfItsOwnAndHoldsIt() {
    f.registry.create(externalName("db"), false);

    Service fixed = (Service) f.registry.update(toClusterIp("db", "10.96.0.20"), false);
    assertThat(fixed.getSpec().getClusterIp()).isEqualTo("10.96.0.20");
    assertThat(f.store.keys(IP_PREFIX)).containsExactly(IP_PREFIX + "10.96.0.20");

    f.registry.create(externalName("cache"), false);
    Service dynamic = (Service) f.registry.update(toClusterIp("cache", ""), false);
    assertThat(dynamic.getSpec().getClusterIp()).startsWith("10.96.0.");
    assertThat(dynamic.getSpec().getClusterIpsList()).containsExactly(dynamic.getSpec().getClusterIp());
    assertThat(f.store.keys(IP_PREFIX)).contains(IP_PREFIX + dynamic.getSpec().getClusterIp());
  }

  @Test
  void clusterIpToExternalNameGivesTheAddressBack() {
    Service web = (Service) f.registry.create(clusterIp("web", "10.96.0.30"), false);
    Service renamed = externalName("web").toBuilder().setMetadata(web.getMetadata()).build();

    Service updated = (Service) f.registry.update(renamed, false);

    assertThat(updated.getSpec().getClusterIp()).isEmpty();
    assertThat(f.store.keys(IP_PREFIX)).isEmpty();
    f.registry.create(clusterIp("other", "10.96.0.30"), false);
  }
}
