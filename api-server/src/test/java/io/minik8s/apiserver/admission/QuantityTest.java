package io.minik8s.apiserver.admission;

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
}
