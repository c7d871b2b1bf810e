package io.minik8s.kubelet.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PodNetworksTest {
  @Test
  void anEndpointIsStaleWhenItsContainerIsGone() {
    Map<String, String> endpoints = Map.of(
        "aaa111", "k8s_POD_web-1", // live container
        "bbb222", "k8s_POD_web-2", // container gone
        "ep-ccc333", "k8s_POD_web-3"); // no sandbox, container gone
    assertThat(PodNetworks.stale(endpoints, Set.of("aaa111"), Set.of("k8s_POD_web-1")))
        .containsExactlyInAnyOrder("k8s_POD_web-2", "k8s_POD_web-3");
  }

  @Test
  void anEndpointWhoseNameALiveContainerHasIsLeft() {
    // disconnect -f by that name would take the live container off the network instead
    Map<String, String> endpoints = Map.of("ep-ddd444", "k8s_POD_web-4");
    assertThat(PodNetworks.stale(endpoints, Set.of("eee555"), Set.of("k8s_POD_web-4"))).isEmpty();
  }

  @Test
  void nothingIsStaleOnANetworkOfLiveContainers() {
    assertThat(PodNetworks.stale(Map.of("aaa111", "a", "bbb222", "b"), Set.of("aaa111", "bbb222"), Set.of("a", "b")))
        .isEmpty();
  }
}
