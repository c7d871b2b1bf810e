package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two scheduler processes from the shaded jar, leader-elected on one Lease: only the leader
 * schedules, and when it is killed the standby takes over within the lease duration (plus the
 * retry period it takes to notice and act).
 */
class SchedulerLeaderElectionTest {
  private static final Duration LEASE = Duration.ofSeconds(6);
  private static final Duration RENEW = Duration.ofSeconds(4);
  private static final Duration RETRY = Duration.ofSeconds(1);
  /** Room for a loaded 2-core machine: JIT, GC and the other builds running beside us. */
  private static final Duration SLACK = Duration.ofSeconds(15);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Process> processes = new ArrayList<>();
  private SchedulerFixtures fx;

  @AfterEach
  void stopAll() {
    processes.forEach(Process::destroyForcibly);
    if (fx != null) {
      fx.deleteNodes();
    }
  }

  private record Replica(Process process, int healthPort) {}

  private Replica start(ControlPlane cp, String leaseName, String tag) throws IOException {
    int port = EtcdCluster.freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (Runtime.version().feature() >= 24) {
      cmd.add("--sun-misc-unsafe-memory-access=allow");
      cmd.add("--enable-native-access=ALL-UNNAMED");
    }
    cmd.addAll(List.of("-Dcomponent=scheduler-" + tag, "-jar", jar().toString(),
        "--api-servers", cp.server(),
        "--leader-elect-lease-duration", LEASE.toSeconds() + "s",
        "--leader-elect-renew-deadline", RENEW.toSeconds() + "s",
        "--leader-elect-retry-period", RETRY.toSeconds() + "s",
        "--leader-elect-resource-name", leaseName,
        "--bind-address", "127.0.0.1",
        "--health-port", String.valueOf(port)));
    cmd.addAll(TestPki.componentFlags(TestPki.shared().scheduler()));
    Path log = Path.of("target", "scheduler-" + leaseName + "-" + tag + ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    processes.add(p);
    return new Replica(p, port);
  }

  private static Path jar() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("..", "scheduler", "target"))) {
      return files.filter(f -> f.getFileName().toString().matches("scheduler-.*-all\\.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no scheduler-*-all.jar in ../scheduler/target: build through the reactor"));
    }
  }

  /** Whether the replica says it leads, through kube-scheduler's leader_election_master_status. */
  private boolean leads(Replica r) {
    try {
      HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.healthPort() + "/metrics"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      return resp.body().lines().anyMatch(l -> l.startsWith("leader_election_master_status") && l.endsWith(" 1.0"));
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private boolean ready(Replica r) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.healthPort() + "/readyz"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  @Test
  void killingTheLeaderHandsSchedulingToTheStandbyWithinTheLease() throws Exception {
    ControlPlane cp = ControlPlane.shared();
    fx = new SchedulerFixtures(cp.client, "sched-leader");
    String lease = "kube-scheduler-" + fx.id;
    fx.createNode("n0", "4", "4Gi");
    Replica a = start(cp, lease, "a");
    Replica b = start(cp, lease, "b");
    await().atMost(Duration.ofSeconds(90)).until(() -> ready(a) && ready(b) && (leads(a) ^ leads(b)));
    Replica leader = leads(a) ? a : b;
    Replica standby = leader == a ? b : a;

    fx.createPod(fx.podSpec("before", "100m", "64Mi"));
    await().atMost(Duration.ofSeconds(60)).until(() -> !fx.pod("before").getSpec().getNodeName().isEmpty());
    assertThat(leads(standby)).as("the standby must not lead while the leader lives").isFalse();

    long killedAt = System.nanoTime();
    leader.process().destroyForcibly().waitFor();
    fx.createPod(fx.podSpec("after", "100m", "64Mi"));
    // The standby saw the last renewal at most ~1.2 retry periods after it happened; it takes
    // the lease a lease duration later, at its next attempt (≤ 1.2 retry periods), then binds.
    Duration bound = LEASE.plus(RETRY.multipliedBy(3));
    await().atMost(bound.plus(SLACK)).pollInterval(Duration.ofMillis(100))
        .until(() -> !fx.pod("after").getSpec().getNodeName().isEmpty());
    Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
    System.out.println("scheduler failover: pod bound " + took.toMillis() + " ms after the leader was killed (lease "
        + LEASE.toSeconds() + "s, retry " + RETRY.toSeconds() + "s)");
    assertThat(took).as("takeover time").isGreaterThan(LEASE.minus(RETRY.multipliedBy(2)));
    assertThat(leads(standby)).isTrue();
    assertThat(standby.process().isAlive()).isTrue();
  }
}
