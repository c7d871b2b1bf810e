package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minik8s.api.Node;
import io.minik8s.api.Pod;
import io.minik8s.client.api.Resources;
import io.minik8s.scheduler.SchedulerServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** mkctl cordon, uncordon and drain against the real api-server, with the scheduler running. */
class SchedulerDrainTest {
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

  private Node node(String name) {
    return cp.client.get(Resources.NODES, "", name);
  }

  @Test
  void cordonedNodeGetsNoNewPodsUntilUncordoned() {
    fx = new SchedulerFixtures(cp.client, "sched-cordon");
    String name = fx.createNode("only", "4", "4Gi").getMetadata().getName();
    Mkctl.Result r = Mkctl.run(cp.server(), "cordon", name);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("node/" + name + " cordoned\n");
    assertThat(node(name).getSpec().getUnschedulable()).isTrue();
    assertThat(Mkctl.run(cp.server(), "cordon", name).out()).isEqualTo("node/" + name + " already cordoned\n");

    fx.createPod(fx.podSpec("waiting", "100m", "64Mi"));
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(fx.event("waiting", "FailedScheduling"))
        .hasValueSatisfying(e -> assertThat(e.getMessage()).contains("1 node(s) were unschedulable")));
    assertThat(fx.pod("waiting").getSpec().getNodeName()).isEmpty();

    r = Mkctl.run(cp.server(), "uncordon", name);
    assertThat(r.out()).isEqualTo("node/" + name + " uncordoned\n");
    // the uncordon is a node update that wakes the unschedulable pod
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(fx.pod("waiting").getSpec().getNodeName()).isEqualTo(name));
  }

  @Test
  void drainRefusesUnmanagedPodsUnlessForcedThenEvicts() {
    fx = new SchedulerFixtures(cp.client, "sched-drain");
    String name = fx.createNode("only", "4", "4Gi").getMetadata().getName();
    fx.createPod(SchedulerFixtures.ownedBy(fx.podSpec("managed-0", "100m", "64Mi"), "ReplicaSet", "rs-" + fx.id));
    fx.createPod(SchedulerFixtures.ownedBy(fx.podSpec("managed-1", "100m", "64Mi"), "ReplicaSet", "rs-" + fx.id));
    fx.createPod(fx.podSpec("bare", "100m", "64Mi"));
    await().atMost(PATIENCE).until(() -> fx.placements().values().stream().allMatch(name::equals));

    Mkctl.Result refused = Mkctl.run(cp.server(), "drain", name);
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
    assertThat(refused.out()).startsWith("node/" + name + " cordoned\n");
    assertThat(refused.err()).isEqualTo("error: unable to drain node \"" + name + "\" due to error: cannot delete Pods "
        + "that declare no controller (use --force to override): " + fx.namespace + "/bare\n");
    assertThat(node(name).getSpec().getUnschedulable()).isTrue();
    assertThat(fx.pods()).hasSize(3);

    Mkctl.Result forced = Mkctl.run(cp.server(), "drain", name, "--force", "--grace-period", "0");
    assertThat(forced.exitCode()).as(forced.toString()).isZero();
    assertThat(forced.out()).contains("node/" + name + " already cordoned", "pod/managed-0 evicted",
        "pod/managed-1 evicted", "pod/bare evicted", "node/" + name + " drained");
    assertThat(forced.err()).contains("deleting Pods that declare no controller: " + fx.namespace + "/bare");
    await().atMost(PATIENCE).until(() -> fx.pods().isEmpty());
  }

  @Test
  void drainOfAnEmptyNodeJustCordonsIt() {
    fx = new SchedulerFixtures(cp.client, "sched-drain-empty");
    String name = fx.createNode("only", "4", "4Gi").getMetadata().getName();
    Mkctl.Result r = Mkctl.run(cp.server(), "drain", name);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("node/" + name + " cordoned\nnode/" + name + " drained\n");
    Pod p = fx.createPod(fx.podSpec("late", "100m", "64Mi"));
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(fx.event("late", "FailedScheduling")).isPresent());
    assertThat(fx.pod(p.getMetadata().getName()).getSpec().getNodeName()).isEmpty();
  }
}
