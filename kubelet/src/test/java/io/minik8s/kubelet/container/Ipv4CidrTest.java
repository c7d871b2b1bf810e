package io.minik8s.kubelet.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Ipv4CidrTest {
  @Test
  void blocksOverlapWhenOneContainsTheOther() {
    assertThat(Ipv4Cidr.parse("10.244.1.0/24").overlaps(Ipv4Cidr.parse("10.244.1.0/24"))).isTrue();
    assertThat(Ipv4Cidr.parse("10.244.0.0/16").overlaps(Ipv4Cidr.parse("10.244.7.0/24"))).isTrue();
    assertThat(Ipv4Cidr.parse("10.244.7.0/24").overlaps(Ipv4Cidr.parse("10.244.0.0/16"))).isTrue();
    assertThat(Ipv4Cidr.parse("10.244.7.9/24").overlaps(Ipv4Cidr.parse("10.244.7.128/25"))).isTrue();
  }

  @Test
  void neighbouringBlocksDoNotOverlap() {
    assertThat(Ipv4Cidr.parse("10.244.0.0/24").overlaps(Ipv4Cidr.parse("10.244.1.0/24"))).isFalse();
    assertThat(Ipv4Cidr.parse("172.17.0.0/16").overlaps(Ipv4Cidr.parse("10.244.0.0/16"))).isFalse();
    assertThat(Ipv4Cidr.parse("10.244.7.0/25").overlaps(Ipv4Cidr.parse("10.244.7.128/25"))).isFalse();
  }

  @Test
  void rejectsWhatIsNotAnIpv4Block() {
    assertThatThrownBy(() -> Ipv4Cidr.parse("10.244.0.0")).hasMessageContaining("10.244.0.0");
    assertThatThrownBy(() -> Ipv4Cidr.parse("10.244.0.300/24")).hasMessageContaining("10.244.0.300/24");
    assertThatThrownBy(() -> Ipv4Cidr.parse("fd00::/64")).isInstanceOf(IllegalArgumentException.class);
  }
}
