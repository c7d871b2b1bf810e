package io.minik8s.client.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantityTest {

  @ParameterizedTest(name = "{0} = {1}m")
  @CsvSource({"100m, 100", "0.5, 500", "1, 1000", "1.5, 1500", "2, 2000", "250m, 250", "1n, 1", "-1, -1000"})
  void cpuQuantitiesInMillis(String quantity, long millis) {
    assertThat(Quantity.milliValue(quantity)).isEqualTo(millis);
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
      "128Mi, 134217728", "1Ki, 1024", "1Gi, 1073741824", "1G, 1000000000", "1k, 1000",
      "1e3, 1000", "1E3, 1000", "1000, 1000", "100Mi, 104857600", "2.5, 3", "1E, 1000000000000000000"})
  void memoryQuantitiesInUnits(String quantity, long value) {
    assertThat(Quantity.value(quantity)).isEqualTo(value);
  }

  @Test
  void equalAmountsInDifferentUnitsCompareEqual() {
    assertThat(Quantity.compare("1Gi", "1024Mi")).isZero();
    assertThat(Quantity.compare("0.5", "500m")).isZero();
    assertThat(Quantity.compare("300m", "200m")).isPositive();
    assertThat(Quantity.compare("1G", "1Gi")).isNegative();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", "abc", "1.2.3", "1K", "10 Mi", "Mi", "1iB", "1MiB", ".", "1e"})
  void junkIsRejected(String junk) {
    assertThatThrownBy(() -> Quantity.value(junk)).isInstanceOf(IllegalArgumentException.class);
    assertThat(Quantity.isValid(junk)).isFalse();
  }

  @Test
  void cpuAndMemoryAsTheSchedulerSumsThem() {
    assertThat(Quantity.milliValue("100m")).isEqualTo(100);
    assertThat(Quantity.milliValue("0.5")).isEqualTo(500);
    assertThat(Quantity.milliValue("2")).isEqualTo(2000);
    assertThat(Quantity.value("128Mi")).isEqualTo(128L << 20);
    assertThat(Quantity.value("1Gi")).isEqualTo(1L << 30);
    assertThat(Quantity.value("1G")).isEqualTo(1_000_000_000L);
    assertThat(Quantity.value("1e3")).isEqualTo(1000);
    assertThat(Quantity.value("110")).isEqualTo(110);
    assertThat(Quantity.value("0.5")).isEqualTo(1); // rounded up, as Value()
    assertThatThrownBy(() -> Quantity.value("lots")).isInstanceOf(IllegalArgumentException.class);
  }
}
