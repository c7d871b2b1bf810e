package io.minik8s.client.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities ({@code 100m}, {@code 0.5}, {@code 128Mi}, {@code 1G},
 * {@code 1e3}): a decimal number with an optional binary (Ki..Ei), decimal (n..E) or exponent
 * suffix. Parsed exactly, so {@code 1Gi} and {@code 1024Mi} compare equal. The api-server
 * validates with it, the scheduler sums requests with it.
 *
 * <p>Mirrors Kubernetes' staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go.
 */
public final class Quantity {
  /** Kubernetes' own wording, so a bad manifest fails with the message users search for. */
  public static final String FORMAT_ERROR =
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

  private static final Pattern FORMAT = Pattern.compile("([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)");
  private static final Pattern EXPONENT = Pattern.compile("[eE]([-+]?[0-9]+)");
  private static final Map<String, Integer> DECIMAL_EXPONENTS = Map.of(
      "n", -9, "u", -6, "m", -3, "", 0, "k", 3, "M", 6, "G", 9, "T", 12, "P", 15, "E", 18);
  private static final Map<String, Integer> BINARY_POWERS = Map.of(
      "Ki", 10, "Mi", 20, "Gi", 30, "Ti", 40, "Pi", 50, "Ei", 60);

  private Quantity() {}

  /** The amount in thousandths, rounded up away from zero as Kubernetes' MilliValue does. */
  public static long milliValue(String quantity) {
    return toLong(parse(quantity).movePointRight(3));
  }

  /** The amount in whole units, rounded up away from zero as Kubernetes' Value does. */
  public static long value(String quantity) {
    return toLong(parse(quantity));
  }

  /** Whether {@code quantity} parses. */
  public static boolean isValid(String quantity) {
    try {
      parse(quantity);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Negative, zero or positive as {@code a} is less than, equal to or greater than {@code b}. */
  public static int compare(String a, String b) {
    return parse(a).compareTo(parse(b));
  }

  /** The exact amount; IllegalArgumentException with {@link #FORMAT_ERROR} when it does not parse. */
  public static BigDecimal parse(String quantity) {
    Matcher m = FORMAT.matcher(quantity == null ? "" : quantity);
    if (!m.matches()) {
      throw new IllegalArgumentException(FORMAT_ERROR);
    }
    BigDecimal number;
    try {
      number = new BigDecimal(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(FORMAT_ERROR, e);
    }
    return scale(number, m.group(2));
  }

  private static BigDecimal scale(BigDecimal number, String suffix) {
    Integer binary = BINARY_POWERS.get(suffix);
    if (binary != null) {
      return number.multiply(BigDecimal.valueOf(2).pow(binary));
    }
    Integer decimal = DECIMAL_EXPONENTS.get(suffix);
    if (decimal != null) {
      return number.scaleByPowerOfTen(decimal);
    }
    Matcher e = EXPONENT.matcher(suffix);
    if (e.matches() && e.group(1).length() <= 4) {
      return number.scaleByPowerOfTen(Integer.parseInt(e.group(1)));
    }
    throw new IllegalArgumentException("unable to parse quantity's suffix");
  }

  private static long toLong(BigDecimal v) {
    BigDecimal rounded = v.setScale(0, RoundingMode.UP);
    if (rounded.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      return Long.MAX_VALUE;
    }
    if (rounded.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0) {
      return Long.MIN_VALUE;
    }
    return rounded.longValueExact();
  }
}
