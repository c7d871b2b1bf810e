package io.minik8s.client.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Ipv4CidrTest {
  @Test
  void addressesConvertBothWays() {
    assertThat(Ipv4Cidr.address("10.96.0.10")).isEqualTo((10L << 24) | (96L << 16) | 10);
    assertThat(Ipv4Cidr.address("255.255.255.255")).isEqualTo(0xFFFFFFFFL);
    assertThat(Ipv4Cidr.format(Ipv4Cidr.address("192.168.7.200"))).isEqualTo("192.168.7.200");
  }

  @Test
  void parsingDropsHostBitsAndPrintsTheBlock() {
    Ipv4Cidr c = Ipv4Cidr.parse("10.244.7.9/24");
    assertThat(c).hasToString("10.244.7.0/24");
    assertThat(c.size()).isEqualTo(256);
    assertThat(c.contains(Ipv4Cidr.address("10.244.7.255"))).isTrue();
    assertThat(c.contains(Ipv4Cidr.address("10.244.8.0"))).isFalse();
    assertThat(Ipv4Cidr.parse("0.0.0.0/0").contains(Ipv4Cidr.address("8.8.8.8"))).isTrue();
  }

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
  void rejectsWhatIsNotIpv4() {
    assertThatThrownBy(() -> Ipv4Cidr.parse("10.244.0.0")).hasMessageContaining("10.244.0.0");
    assertThatThrownBy(() -> Ipv4Cidr.parse("10.244.0.300/24")).hasMessageContaining("10.244.0.300/24");
    assertThatThrownBy(() -> Ipv4Cidr.parse("10.244.0.0/33")).hasMessageContaining("10.244.0.0/33");
    assertThatThrownBy(() -> Ipv4Cidr.parse("fd00::/64")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Ipv4Cidr.address("10.0.0.-1")).hasMessageContaining("10.0.0.-1");
    assertThatThrownBy(() -> Ipv4Cidr.address("10..0.1")).hasMessageContaining("10..0.1");
    assertThatThrownBy(() -> Ipv4Cidr.address("a.b.c.d")).hasMessageContaining("a.b.c.d");
  }
}
