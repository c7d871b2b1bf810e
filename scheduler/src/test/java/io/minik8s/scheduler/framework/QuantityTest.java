package io.minik8s.scheduler.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QuantityTest {
  @Test
  void parsesCpuAndMemoryAsKubernetesDoes() {
    assertThat(Quantity.milliValue("100m")).isEqualTo(100);
    assertThat(Quantity.milliValue("0.5")).isEqualTo(500);
    assertThat(Quantity.milliValue("2")).isEqualTo(2000);
    assertThat(Quantity.value("128Mi")).isEqualTo(128L << 20);
    assertThat(Quantity.value("1Gi")).isEqualTo(1L << 30);
    assertThat(Quantity.value("1G")).isEqualTo(1_000_000_000L);
    assertThat(Quantity.value("1e3")).isEqualTo(1000);
    assertThat(Quantity.value("110")).isEqualTo(110);
    assertThat(Quantity.value("0.5")).isEqualTo(1); // rounded up, as Value()
  }

  @Test
  void refusesGarbage() {
    assertThatThrownBy(() -> Quantity.value("lots")).isInstanceOf(IllegalArgumentException.class);
  }
}
