package io.minik8s.kubeproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minik8s.kubeproxy.NodePortAddresses.NodeAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Which node addresses a NodePort is served on, for --nodeport-addresses and its default. */
@Timeout(10)
class NodePortAddressesTest {
  static final List<NodeAddress> NODE = List.of(
      new NodeAddress("lo", "127.0.0.1"),
      new NodeAddress("lo", "10.96.0.10"),     // the cluster DNS address kube-proxy bound
      new NodeAddress("lo", "10.96.0.77"),     // a ClusterIP
      new NodeAddress("eth0", "192.168.1.20"),
      new NodeAddress("docker0", "172.17.0.1"),
      new NodeAddress("br-1", "10.244.1.1"));

  @Test
  void byDefaultEveryNodeAddressButLoopbackAndServiceAddresses() {
    assertThat(new NodePortAddresses(List.of(), "lo").select(NODE))
        .containsExactly("192.168.1.20", "172.17.0.1", "10.244.1.1");
  }

  @Test
  void listedCidrsChooseAmongTheNodeAddresses() {
    assertThat(new NodePortAddresses(List.of("192.168.0.0/16"), "lo").select(NODE)).containsExactly("192.168.1.20");
    // a block that holds ClusterIPs still does not make them node addresses
    assertThat(new NodePortAddresses(List.of("10.0.0.0/8"), "lo").select(NODE)).containsExactly("10.244.1.1");
  }

  @Test
  void loopbackOnlyWhenAListedCidrHoldsIt() {
    assertThat(new NodePortAddresses(List.of("127.0.0.0/8"), "lo").select(NODE)).containsExactly("127.0.0.1");
    assertThat(new NodePortAddresses(List.of("127.0.0.0/8", "192.168.1.0/24"), "lo").select(NODE))
        .containsExactly("127.0.0.1", "192.168.1.20");
  }

  @Test
  void aBadCidrIsRefusedNamingTheFlag() {
    assertThatThrownBy(() -> new NodePortAddresses(List.of("primary-ish"), "lo"))
        .hasMessageContaining("--nodeport-addresses");
  }
}
