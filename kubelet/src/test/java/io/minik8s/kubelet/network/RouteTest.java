package io.minik8s.kubelet.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.client.net.Ipv4Cidr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RouteTest {
  @Test
  void aRouteViaAGatewayIsNotConnectedAndIsOursOnlyWithOurProtocol() {
    Route r = Route.parse("10.244.1.0/24 via 198.18.77.3 dev eth0 proto 77 ");
    assertThat(r).isEqualTo(new Route("unicast", Ipv4Cidr.parse("10.244.1.0/24"), "198.18.77.3", "eth0", "77"));
    assertThat(r.connected()).isFalse();
    assertThat(r.ours()).isTrue();
    assertThat(Route.parse("10.244.1.0/24 via 198.18.77.3 dev eth0").ours()).as("added by hand").isFalse();
  }

  @Test
  void aLinkRouteIsConnectedAndTheDefaultRouteIsNot() {
    Route bridge = Route.parse("10.244.0.0/24 dev br-1a2b proto kernel scope link src 10.244.0.1 linkdown");
    assertThat(bridge.connected()).isTrue();
    assertThat(bridge.device()).isEqualTo("br-1a2b");
    assertThat(bridge.protocol()).isEqualTo("kernel");
    Route def = Route.parse("default via 10.0.0.1 dev eth0 proto dhcp src 10.0.0.5 metric 100");
    assertThat(def.destination()).isEqualTo(new Ipv4Cidr(0, 0));
    assertThat(def.connected()).isFalse();
    assertThat(Route.parse("default dev tun0 scope link").connected()).as("covers everything: never a host network").isFalse();
  }

  @Test
  void aHostRouteAndATypedRouteAreParsed() {
    Route host = Route.parse("10.9.9.9 via 198.18.99.3 dev v0 proto 77");
    assertThat(host.destination()).isEqualTo(Ipv4Cidr.parse("10.9.9.9/32"));
    Route hole = Route.parse("blackhole 10.244.7.0/24 proto bird");
    assertThat(hole.type()).isEqualTo("blackhole");
    assertThat(hole.destination()).isEqualTo(Ipv4Cidr.parse("10.244.7.0/24"));
    assertThat(hole.connected()).isFalse();
  }
}
