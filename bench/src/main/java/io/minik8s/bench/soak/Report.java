package io.minik8s.bench.soak;

import java.util.ArrayList;
import java.util.List;

/** The soak's end: the faults with their recovery times, and the invariants, as two text tables. */
final class Report {
  private record Row(String invariant, boolean ok, String details) {}

  private final StringBuilder faults = new StringBuilder();
  private final List<Row> rows = new ArrayList<>();

  void faults(List<Faults.Outcome> outcomes, Traffic traffic) {
    faults.append(String.format("%nfaults (SIGKILL, then bin/minik8s start):%n"));
    faults.append(String.format("  %-2s %-26s %-22s %8s %9s %12s  %-30s %10s%n", "#", "fault", "component", "pid",
        "ready(s)", "recovered(s)", "recovered when", "failed req"));
    int i = 1;
    for (Faults.Outcome o : outcomes) {
      long failed = traffic.failedBetween(o.killedAtNanos(),
          o.recoveredSeconds() < 0 ? Long.MAX_VALUE : o.killedAtNanos() + (long) (o.recoveredSeconds() * 1e9) + 2_000_000_000L);
      faults.append(String.format("  %-2d %-26s %-22s %8d %9s %12s  %-30s %10d%s%n", i++, o.fault(), o.component(), o.pid(),
          secs(o.readySeconds()), secs(o.recoveredSeconds()), o.recovery(), failed,
          o.error().isEmpty() ? "" : "  ERROR " + o.error()));
      if (!o.error().isEmpty()) {
        rows.add(new Row("fault " + o.fault() + " recovered", false, o.error()));
      }
    }
    if (outcomes.isEmpty()) {
      faults.append("  none: the load phase was too short for one\n");
    }
  }

  private static String secs(double s) {
    return s < 0 ? "never" : String.format("%.1f", s);
  }

  void invariant(String name, boolean ok, String details) {
    rows.add(new Row(name, ok, details));
  }

  boolean broken() {
    return rows.stream().anyMatch(r -> !r.ok());
  }

  String render() {
    StringBuilder out = new StringBuilder(faults);
    out.append(String.format("%ninvariants:%n  %-55s %-6s %s%n", "invariant", "result", "details"));
    for (Row r : rows) {
      out.append(String.format("  %-55s %-6s %s%n", r.invariant(), r.ok() ? "OK" : "BROKEN", r.details()));
    }
    out.append(broken() ? "\nsoak: an invariant BROKE\n" : "\nsoak: every invariant held\n");
    return out.toString();
  }
}
