package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code bin/minik8s soak}, short, in CI: the cluster {@link LocalClusterTest} brings up with
 * {@code bin/minik8s up} (here with two api-servers, so that one can be killed, and a pod CIDR of
 * its own), checked the same way and taken down the same way, even on failure; in between, a soak
 * of a few minutes of churn, traffic and faults, whose invariants table must show nothing lost.
 * It uses the same fixed ports as LocalClusterTest: surefire runs the classes one after another.
 * The inherited down test then checks that the kill churn left no pod network behind (Docker 20.10
 * could keep one counting endpoints it no longer had; see the kubelet's EndpointChanges).
 */
class SoakTest extends LocalClusterTest {
  static final String SOAK_CIDR = "10.249.0.0/16";
  /**
   * Minutes of load, short for the suite's sake: the soak always runs one whole round of the six
   * faults (each 10-90 s on a busy 2-core machine), however short the load phase.
   */
  static final String MINUTES = "2";

  SoakTest() throws Exception {}

  @Override
  Map<String, String> env() {
    return Map.of("MINIK8S_HOME", scratch.toString(), "MINIK8S_CLUSTER_CIDR", SOAK_CIDR, "MINIK8S_NO_BUILD", "1");
  }

  @Override
  String[] upCommand() {
    return new String[] {"bin/minik8s", "up", "--nodes", "2", "--api-servers", "2"};
  }

  @Override
  String clusterCidr() {
    return SOAK_CIDR;
  }

  @Override
  void prepare() {
    HostCommand.requireJars(List.of("bench")); // bin/minik8s soak runs bench's jar
  }

  @Test
  @Order(50)
  @Timeout(value = 25, unit = TimeUnit.MINUTES)
  void aShortSoakKeepsEveryInvariant() throws Exception {
    HostCommand.Result soak = HostCommand.run(env(), Duration.ofMinutes(22), true, "bin/minik8s", "soak", "--minutes", MINUTES);
    String out = soak.out();
    // every fault of the schedule ran and came back
    for (String fault : List.of("etcd leader", "api-server", "controller-manager leader", "scheduler leader", "kubelet",
        "kube-proxy")) {
      assertThat(out).as("fault " + fault).containsPattern("fault \\d+: " + Pattern.quote(fault) + ": killed .* recovered");
    }
    assertThat(out).doesNotContain("ERROR");
    assertThat(invariantRows(out)).as(out).hasSize(5).allMatch(row -> row.contains(" OK "));
    assertThat(out).contains("0 lost;", "0 missing, 0 not in etcd, 0 twice, 0 out of order", ": 0 over", ": 0 orphans")
        .contains("soak: every invariant held");
    assertThat(soak.exitCode()).as(out).isZero();
  }

  /** The rows of the invariants table the soak prints at its end. */
  private static List<String> invariantRows(String out) {
    Matcher table = Pattern.compile("(?s)\ninvariants:\n[^\n]*\n(.*?)\n\n").matcher(out);
    assertThat(table.find()).as("an invariants table in:\n" + out).isTrue();
    return table.group(1).lines().toList();
  }
}
