package io.minik8s.kubelet.container;

import java.math.BigDecimal;
import java.util.Map;

/** Kubernetes resource quantities ("500m", "1.5", "64Mi", "1G") as the numbers Docker takes. */
public final class Quantities {
  private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
      Map.entry("Ki", BigDecimal.valueOf(1L << 10)), Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
      Map.entry("Gi", BigDecimal.valueOf(1L << 30)), Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
      Map.entry("Pi", BigDecimal.valueOf(1L << 50)), Map.entry("Ei", BigDecimal.valueOf(1L << 60)),
      Map.entry("m", new BigDecimal("0.001")), Map.entry("k", BigDecimal.valueOf(1_000L)),
      Map.entry("M", BigDecimal.valueOf(1_000_000L)), Map.entry("G", BigDecimal.valueOf(1_000_000_000L)),
      Map.entry("T", BigDecimal.valueOf(1_000_000_000_000L)), Map.entry("P", BigDecimal.valueOf(1_000_000_000_000_000L)));

  private Quantities() {}

  public static BigDecimal parse(String q) {
    String s = q.strip();
    for (int len = 2; len >= 1; len--) {
      if (s.length() > len) {
        BigDecimal mult = SUFFIXES.get(s.substring(s.length() - len));
        if (mult != null) {
          return new BigDecimal(s.substring(0, s.length() - len)).multiply(mult);
        }
      }
    }
    return new BigDecimal(s);
  }

  /** CPU cores as Docker's NanoCpus (1 core = 1e9). */
  public static long nanoCpus(String cpu) {
    return parse(cpu).multiply(BigDecimal.valueOf(1_000_000_000L)).longValue();
  }

  public static long bytes(String memory) {
    return parse(memory).longValue();
  }
}
