package io.minik8s.scheduler.framework;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities ({@code 100m}, {@code 0.5}, {@code 128Mi}, {@code 1G}). The
 * scheduler keeps its own small parser rather than depend on the api-server module, which owns
 * validation; the api-server has already refused malformed values, so here a bad one is an error.
 */
public final class Quantity {
  private static final Pattern FORMAT = Pattern.compile("([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)");
  private static final Map<String, Integer> DECIMAL = Map.of(
      "n", -9, "u", -6, "m", -3, "", 0, "k", 3, "M", 6, "G", 9, "T", 12, "P", 15, "E", 18);
  private static final Map<String, Integer> BINARY = Map.of(
      "Ki", 10, "Mi", 20, "Gi", 30, "Ti", 40, "Pi", 50, "Ei", 60);

  private Quantity() {}

  /** Thousandths of the amount, rounded up as Kubernetes' MilliValue: the unit of CPU. */
  public static long milliValue(String quantity) {
    return round(parse(quantity).movePointRight(3));
  }

  /** The amount in whole units, rounded up as Kubernetes' Value: bytes of memory, pod counts. */
  public static long value(String quantity) {
    return round(parse(quantity));
  }

  static BigDecimal parse(String quantity) {
    Matcher m = FORMAT.matcher(quantity == null ? "" : quantity.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("invalid quantity \"" + quantity + "\"");
    }
    BigDecimal number = new BigDecimal(m.group(1));
    String suffix = m.group(2);
    if (BINARY.containsKey(suffix)) {
      return number.multiply(BigDecimal.valueOf(2).pow(BINARY.get(suffix)));
    }
    if (DECIMAL.containsKey(suffix)) {
      return number.scaleByPowerOfTen(DECIMAL.get(suffix));
    }
    if (suffix.matches("[eE][-+]?[0-9]{1,4}")) {
      return number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
    }
    throw new IllegalArgumentException("invalid quantity suffix in \"" + quantity + "\"");
  }

  private static long round(BigDecimal v) {
    BigDecimal r = v.setScale(0, RoundingMode.UP);
    return r.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE : r.longValue();
  }
}
