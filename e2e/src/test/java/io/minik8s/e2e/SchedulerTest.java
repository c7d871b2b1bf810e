package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minik8s.api.Event;
import io.minik8s.api.Node;
import io.minik8s.api.Pod;
import io.minik8s.api.Taint;
import io.minik8s.api.Toleration;
import io.minik8s.client.api.Resources;
import io.minik8s.scheduler.SchedulerServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scheduler in-process against the shared real api-server and etcd, with registered nodes. */
class SchedulerTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static ControlPlane cp;
  private static SchedulerServer scheduler;
  private SchedulerFixtures fx;

  @BeforeAll
  static void startScheduler() throws Exception {
    cp = ControlPlane.shared();
    scheduler = SchedulerServer.start(SchedulerServer.Config.defaults(cp.server()), TestPki.shared().scheduler());
  }

  @AfterAll
  static void stopScheduler() {
    scheduler.close();
  }

  @AfterEach
  void deleteNodes() {
    if (fx != null) {
      fx.deleteNodes();
    }
  }

  @Test
  void podsWithRequestsSpreadAcrossTheNodes() {
    fx = new SchedulerFixtures(cp.client, "sched-spread");
    for (int i = 0; i < 3; i++) {
      fx.createNode("n" + i, "4", "8Gi");
    }
    for (int i = 0; i < 6; i++) {
      fx.createPod(SchedulerFixtures.ownedBy(fx.podSpec("web-" + i, "500m", "256Mi"), "ReplicaSet", "rs-" + fx.id));
    }
    await().atMost(PATIENCE).until(() -> fx.placements().values().stream().noneMatch(String::isEmpty));
    Map<String, Long> perNode = fx.placements().values().stream()
        .collect(Collectors.groupingBy(n -> n, Collectors.counting()));
    assertThat(perNode).hasSize(3).allSatisfy((node, count) -> assertThat(count).isEqualTo(2));
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(fx.event("web-0", "Scheduled")).hasValueSatisfying(e ->
        assertThat(e.getMessage()).isEqualTo("Successfully assigned " + fx.namespace + "/web-0 to " + fx.pod("web-0").getSpec().getNodeName())));
  }

  @Test
  void podTooLargeStaysPendingThenLandsOnANewLargeEnoughNode() {
    fx = new SchedulerFixtures(cp.client, "sched-large");
    fx.createNode("small-a", "2", "4Gi");
    fx.createNode("small-b", "2", "4Gi");
    fx.createPod(fx.podSpec("big", "3", "1Gi"));
    await().atMost(PATIENCE).untilAsserted(() -> {
      int others = fx.clusterNodeCount() - 2;
      List<String> parts = new ArrayList<>(List.of("2 Insufficient cpu"));
      if (others > 0) {
        parts.add(others + " node(s) didn't match Pod's node affinity/selector");
      }
      parts.sort(null);
      String expected = "0/" + (others + 2) + " nodes are available: " + String.join(", ", parts) + ".";
      assertThat(fx.event("big", "FailedScheduling")).hasValueSatisfying(e -> {
        assertThat(e.getType()).isEqualTo("Warning");
        assertThat(e.getMessage()).isEqualTo(expected);
      });
    });
    assertThat(fx.pod("big").getSpec().getNodeName()).isEmpty();
    Node large = fx.createNode("large", "4", "4Gi");
    await().atMost(PATIENCE).untilAsserted(() ->
        assertThat(fx.pod("big").getSpec().getNodeName()).isEqualTo(large.getMetadata().getName()));
  }

  @Test
  void nodeSelectorIsRespected() {
    fx = new SchedulerFixtures(cp.client, "sched-selector");
    Node.Builder ssd = fx.nodeSpec("ssd", "4", "4Gi");
    ssd.getMetadataBuilder().putLabels("disk", "ssd");
    Node ssdNode = fx.createNode(ssd);
    fx.createNode("hdd", "8", "8Gi");
    for (int i = 0; i < 4; i++) {
      Pod.Builder b = fx.podSpec("db-" + i, "100m", "64Mi");
      b.getSpecBuilder().putNodeSelector("disk", "ssd");
      fx.createPod(b);
    }
    await().atMost(PATIENCE).until(() -> fx.placements().values().stream().noneMatch(String::isEmpty));
    assertThat(fx.placements().values()).containsOnly(ssdNode.getMetadata().getName());
  }

  @Test
  void taintsKeepOffPodsThatDoNotTolerateThem() {
    fx = new SchedulerFixtures(cp.client, "sched-taint");
    Node.Builder gpu = fx.nodeSpec("gpu", "8", "8Gi");
    gpu.getSpecBuilder().addTaints(Taint.newBuilder().setKey("gpu").setValue("true").setEffect("NoSchedule"));
    Node gpuNode = fx.createNode(gpu);
    Node plain = fx.createNode("plain", "2", "4Gi");
    for (int i = 0; i < 4; i++) {
      fx.createPod(fx.podSpec("app-" + i, "100m", "64Mi"));
    }
    Pod.Builder tolerant = fx.podSpec("trainer", "4", "1Gi");
    tolerant.getSpecBuilder().addTolerations(Toleration.newBuilder()
        .setKey("gpu").setOperator("Equal").setValue("true").setEffect("NoSchedule"));
    fx.createPod(tolerant);
    await().atMost(PATIENCE).until(() -> fx.placements().values().stream().noneMatch(String::isEmpty));
    Map<String, String> placed = fx.placements();
    assertThat(placed.get("trainer")).isEqualTo(gpuNode.getMetadata().getName());
    for (int i = 0; i < 4; i++) {
      assertThat(placed.get("app-" + i)).isEqualTo(plain.getMetadata().getName());
    }
    // a pod that only the tainted node could hold stays pending, and says why
    fx.createPod(fx.podSpec("too-big", "4", "1Gi"));
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(fx.event("too-big", "FailedScheduling"))
        .hasValueSatisfying(e -> assertThat(e.getMessage())
            .contains("1 Insufficient cpu").contains("1 node(s) had untolerated taint {gpu: true}")));
    assertThat(fx.pod("too-big").getSpec().getNodeName()).isEmpty();
  }

  @Test
  void twoHundredPodsCreatedAtOnceNeverOverbookANode() throws Exception {
    fx = new SchedulerFixtures(cp.client, "sched-burst");
    int nodes = 5;
    for (int i = 0; i < nodes; i++) {
      fx.createNode("n" + i, "10", "64Gi");
    }
    // 300m each: 33 fit on a 10-CPU node, so 165 of the 200 can run and 35 must stay pending
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Pod>> created = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        Pod.Builder b = fx.podSpec("burst-" + i, "300m", "128Mi");
        created.add(pool.submit(() -> fx.createPod(b)));
      }
      for (Future<Pod> f : created) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    // Settled, a positive signal rather than a quiet spell: every pod of the burst is bound or has
    // been found unschedulable (a FailedScheduling event), and the scheduler has nothing left to
    // try (no pod active or in backoff). A parked pod is tried again only on a change in the
    // cluster, so no late decision can still squeeze a 34th pod onto a node.
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
        .until(() -> settled(fx.pods()) && schedulerIdle());
    List<Pod> pods = fx.pods();
    assertThat(bound(pods)).isEqualTo(165);
    Map<String, Long> milliCpu = new HashMap<>();
    for (Pod p : pods) {
      if (!p.getSpec().getNodeName().isEmpty()) {
        milliCpu.merge(p.getSpec().getNodeName(), 300L, Long::sum);
      }
    }
    assertThat(milliCpu).hasSize(nodes).allSatisfy((node, sum) -> assertThat(sum).isLessThanOrEqualTo(10_000));
  }

  /** At least the 165 that fit are bound, and every other pod was found unschedulable. */
  private boolean settled(List<Pod> pods) {
    Set<String> failed = fx.client.<Event>list(Resources.EVENTS, fx.namespace, "").stream()
        .filter(e -> e.getReason().equals("FailedScheduling"))
        .map(e -> e.getInvolvedObject().getName())
        .collect(Collectors.toSet());
    return bound(pods) >= 165 && pods.stream()
        .allMatch(p -> !p.getSpec().getNodeName().isEmpty() || failed.contains(p.getMetadata().getName()));
  }

  private static boolean schedulerIdle() {
    return Metrics.sample(scheduler.healthPort(), "scheduler_pending_pods", "queue", "active") == 0
        && Metrics.sample(scheduler.healthPort(), "scheduler_pending_pods", "queue", "backoff") == 0;
  }

  private static long bound(List<Pod> pods) {
    return pods.stream().filter(p -> !p.getSpec().getNodeName().isEmpty()).count();
  }
}
