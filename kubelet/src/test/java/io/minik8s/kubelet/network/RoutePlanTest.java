package io.minik8s.kubelet.network;

import static io.minik8s.kubelet.network.Nodes.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.client.net.Ipv4Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RoutePlanTest {
  private final FakeHostNetwork host = new FakeHostNetwork()
      .connected("198.18.77.0/24", "eth0", "198.18.77.2")
      .connected("10.244.0.0/24", "br-self", "10.244.0.1");

  private RoutePlan plan(io.minik8s.api.Node... nodes) {
    return RoutePlan.of("self", List.of(nodes), host.routes(), host.addresses());
  }

  private static RoutePlan.Wanted wanted(String node, String cidr, String via) {
    return new RoutePlan.Wanted(node, Ipv4Cidr.parse(cidr), via);
  }

  @Test
  void everyOtherNodesPodCidrIsRoutedViaItsInternalIp() {
    RoutePlan p = plan(node("self", "10.244.0.0/24", "198.18.77.2"), node("a", "10.244.1.0/24", "198.18.77.3"),
        node("b", "10.244.2.0/24", "198.18.77.4"), node("no-cidr-yet", "", "198.18.77.5"));
    assertThat(p.routes()).containsExactlyInAnyOrder(wanted("a", "10.244.1.0/24", "198.18.77.3"),
        wanted("b", "10.244.2.0/24", "198.18.77.4"));
    assertThat(p.problems()).isEmpty();
  }

  @Test
  void aNodeWithNoInternalIpGetsNoRouteAndAReason() {
    RoutePlan p = plan(node("a", "10.244.1.0/24", ""), node("b", "10.244.2.0/24", "fe80::1"));
    assertThat(p.routes()).isEmpty();
    assertThat(p.problems().get("a").reason()).isEqualTo("NoInternalIP");
    assertThat(p.problems().get("a").message()).contains("node a has no InternalIP").contains("10.244.1.0/24");
    assertThat(p.problems().get("b").reason()).isEqualTo("InvalidInternalIP");
  }

  @Test
  void twoNodesClaimingTheSameOrOverlappingCidrsGetNoRouteAndEachAReason() {
    RoutePlan p = plan(node("a", "10.244.1.0/24", "198.18.77.3"), node("b", "10.244.1.0/24", "198.18.77.4"),
        node("c", "10.244.2.0/23", "198.18.77.5"), node("d", "10.244.3.0/24", "198.18.77.6"),
        node("e", "10.244.4.0/24", "198.18.77.7"));
    assertThat(p.routes()).containsExactly(wanted("e", "10.244.4.0/24", "198.18.77.7"));
    assertThat(p.problems()).containsOnlyKeys("a", "b", "c", "d");
    assertThat(p.problems().values()).allMatch(x -> x.reason().equals("PodCIDRConflict"));
    assertThat(p.problems().get("a").message()).contains("10.244.1.0/24 of node a overlaps pod CIDR 10.244.1.0/24 of node b");
  }

  @Test
  void anotherNodeClaimingThisNodesCidrGetsNoRoute() {
    RoutePlan p = plan(node("self", "10.244.0.0/24", "198.18.77.2"), node("a", "10.244.0.0/24", "198.18.77.3"));
    assertThat(p.routes()).isEmpty();
    assertThat(p.problems()).containsKeys("a", "self");
  }

  @Test
  void aPodCidrOverlappingThisHostsOwnNetworkGetsNoRoute() {
    RoutePlan p = plan(node("a", "198.18.77.128/25", "198.18.77.3"), node("b", "10.244.2.0/24", "198.18.77.4"));
    assertThat(p.routes()).containsExactly(wanted("b", "10.244.2.0/24", "198.18.77.4"));
    assertThat(p.problems().get("a").reason()).isEqualTo("PodCIDROverlapsHostNetwork");
    assertThat(p.problems().get("a").message()).contains("198.18.77.0/24 (dev eth0)");
  }

  @Test
  void anInvalidPodCidrGetsNoRouteAndAReason() {
    RoutePlan p = plan(node("a", "10.244.1.0/33", "198.18.77.3"), node("b", "10.244.1.0/24", "198.18.77.4"));
    assertThat(p.problems().get("a").reason()).isEqualTo("InvalidPodCIDR");
    assertThat(p.routes()).containsExactly(wanted("b", "10.244.1.0/24", "198.18.77.4"));
  }

  @Test
  void onOneHostNoNodeIsRoutedViaThisHostOrToABridgeThatIsHere() {
    // bin/minik8s up: every kubelet on one host, InternalIP 127.0.0.1, each pod bridge on the host.
    host.connected("10.244.1.0/24", "br-other", "10.244.1.1");
    RoutePlan p = plan(node("self", "10.244.0.0/24", "127.0.0.1"), node("a", "10.244.1.0/24", "127.0.0.1"),
        node("b", "10.244.2.0/24", "127.0.0.1"), node("c", "10.244.3.0/24", "198.18.77.2"),
        node("d", "10.244.4.0/24", "127.0.0.9"));
    assertThat(p.routes()).isEmpty();
    assertThat(p.problems()).isEmpty();
    assertThat(p.servedHere()).containsOnlyKeys("a", "b", "c", "d");
    assertThat(p.servedHere().get("a")).contains("is on this host (dev br-other)");
    assertThat(p.servedHere().get("c")).contains("198.18.77.2 is this host's own");
  }

  @Test
  void theAgentsOwnRouteIsNotTakenForAHostNetwork() {
    host.routes.add(Route.parse("10.244.1.0/24 via 198.18.77.3 dev eth0 proto 77"));
    RoutePlan p = plan(node("a", "10.244.1.0/24", "198.18.77.3"));
    assertThat(p.routes()).containsExactly(wanted("a", "10.244.1.0/24", "198.18.77.3"));
  }
}
