package io.minik8s.e2e;

import static io.minik8s.e2e.ControllerHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Event;
import io.minik8s.api.LabelSelector;
import io.minik8s.api.Node;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.api.StatefulSet;
import io.minik8s.api.StatefulSetSpec;
import io.minik8s.client.api.Resources;
import io.minik8s.scheduler.SchedulerServer;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scheduler and the StatefulSet controller together on a pod deleted and recreated under the
 * same name while the scheduler still holds the old one as assumed (its binding in flight). The
 * scheduler talks to the api-server through a relay that can hold its requests, so the old pod's
 * binding is in flight for exactly as long as the test wants; its watch events still arrive.
 */
class SchedulerStatefulSetTest {
  private static ControllerHarness h;
  private static BlackHoleProxy relay;
  private static SchedulerServer scheduler;
  private SchedulerFixtures fx;

  @BeforeAll
  static void start() throws Exception {
    h = new ControllerHarness();
    relay = new BlackHoleProxy(h.cp.apiServer.port());
    scheduler = SchedulerServer.start(SchedulerServer.Config.defaults(relay.address()), TestPki.shared().scheduler());
  }

  @AfterAll
  static void stop() throws Exception {
    scheduler.close();
    relay.close();
    h.close();
  }

  @AfterEach
  void deleteNodes() {
    relay.releaseRequests();
    if (fx != null) {
      fx.deleteNodes();
    }
  }

  @Test
  void webZeroRecreatedWhileTheOldOneIsAssumedGetsBoundAndTheOldBindingIsNotRetried() {
    fx = new SchedulerFixtures(h.client, "sched-sts");
    // web-0 fits nowhere yet (no node carries this test's label): it is tried once and parked
    h.client.create(statefulSet());
    Pod old = ControllerHarness.eventually(() -> h.client.<Pod>find(Resources.PODS, fx.namespace, "web-0"),
        Optional::isPresent).get();
    String oldUid = old.getMetadata().getUid();
    await().until(() -> failedScheduling(oldUid) && idle());
    double parked = pending("unschedulable");

    // a node it fits on: the scheduler assumes web-0 there, and its binding waits in the relay
    relay.holdRequests();
    Node node = fx.createNode("n0", "4", "8Gi");
    await().until(() -> idle() && pending("unschedulable") == parked - 1);

    // web-0 is deleted (unbound, so at once) and the StatefulSet controller makes a new one
    h.client.delete(Resources.PODS, fx.namespace, "web-0");
    String newUid = ControllerHarness.eventually(() -> h.client.<Pod>find(Resources.PODS, fx.namespace, "web-0")
        .map(p -> p.getMetadata().getUid()).orElse(oldUid), uid -> !uid.equals(oldUid));
    // A marker pod that fits nowhere, created after the new web-0: the scheduler's watch
    // delivers it later and its queue pops it later, so once the marker is parked the scheduler
    // has taken the new web-0 too, while the old one was still assumed.
    Pod.Builder marker = fx.podSpec("marker", "100m", "64Mi");
    marker.getSpecBuilder().putNodeSelector(SchedulerFixtures.TEST_LABEL, fx.id + "-nowhere");
    fx.createPod(marker);
    await().until(() -> idle() && pending("unschedulable") == parked);

    double errorsBefore = attempts("error");
    relay.releaseRequests();
    // the old binding is refused (its UID is gone), the new web-0 gets the node
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Pod web0 = fx.pod("web-0");
      assertThat(web0.getMetadata().getUid()).isEqualTo(newUid);
      assertThat(web0.getSpec().getNodeName()).isEqualTo(node.getMetadata().getName());
    });
    // and the old pod is dropped after its one refused binding, not retried in a conflict loop:
    // once that refusal is counted and the queue is idle, nothing else failed
    await().until(() -> attempts("error") >= errorsBefore + 1 && idle());
    assertThat(attempts("error")).isEqualTo(errorsBefore + 1);
    assertThat(fx.pod("marker").getSpec().getNodeName()).isEmpty();
  }

  /** A Parallel StatefulSet of one replica whose pods only fit this test's nodes. */
  private StatefulSet statefulSet() {
    Pod.Builder template = fx.podSpec("web", "100m", "64Mi");
    return StatefulSet.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(fx.namespace).setName("web"))
        .setSpec(StatefulSetSpec.newBuilder().setReplicas(1).setServiceName("web").setPodManagementPolicy("Parallel")
            .setSelector(LabelSelector.newBuilder().putMatchLabels("app", "web"))
            .setTemplate(PodTemplateSpec.newBuilder()
                .setMetadata(ObjectMeta.newBuilder().putLabels("app", "web"))
                .setSpec(template.getSpec())))
        .build();
  }

  private boolean failedScheduling(String uid) {
    return h.client.<Event>list(Resources.EVENTS, fx.namespace, "").stream()
        .anyMatch(e -> e.getReason().equals("FailedScheduling") && e.getInvolvedObject().getUid().equals(uid));
  }

  /** Nothing waits to be tried: every pending pod this scheduler knows is parked or in flight. */
  private static boolean idle() {
    return pending("active") == 0 && pending("backoff") == 0;
  }

  private static double pending(String queue) {
    return Metrics.sample(scheduler.healthPort(), "scheduler_pending_pods", "queue", queue);
  }

  private static double attempts(String result) {
    return Metrics.sample(scheduler.healthPort(), "scheduler_schedule_attempts_total", "result", result);
  }
}
