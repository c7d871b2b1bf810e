package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Endpoints;
import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Event;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.client.api.Resources;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node whose kubelet stops: once the node lifecycle controller sees its Lease expire, the
 * node's pods turn not Ready and leave their Service's ready endpoints at once, long before they
 * are evicted (Kubernetes' MarkPodsNotReady); with a real kubelet, a real pod and the real
 * endpoints controller.
 */
@Timeout(300)
class ControllerNodeLostTest {
  private static final Duration GRACE = Duration.ofSeconds(8);

  @Test
  void thePodsOfANodeWhoseKubeletStopsLeaveTheServicesReadyEndpointsWithinTheGracePeriod() throws Exception {
    // Grace 8 s, checked every 500 ms; pods tolerate the unreachable taint for the default 300 s.
    try (ControllerHarness h = new ControllerHarness(GRACE, Duration.ofMillis(500), 300);
         KubeletFixture f = new KubeletFixture("lost").start()) {
      Pod web = KubeletFixture.pod("web", "Always", KubeletFixture.sh("web", "exec httpd -f -p 8080 -h /"));
      f.create(web.toBuilder().setMetadata(web.getMetadata().toBuilder().putLabels("app", "web")).build());
      f.client.create(Service.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace(f.namespace).setName("web"))
          .setSpec(ServiceSpec.newBuilder().putSelector("app", "web")
              .addPorts(ServicePort.newBuilder().setPort(80).setTargetPort(io.minik8s.api.IntOrString.newBuilder().setIntVal(8080))))
          .build());
      Pod running = f.await("web", Duration.ofSeconds(120), p -> !p.getStatus().getPodIp().isEmpty() && ready(p).equals("True"));
      String ip = running.getStatus().getPodIp();
      await(Duration.ofSeconds(60)).until(() -> readyIps(f).contains(ip));

      long stoppedAt = System.nanoTime();
      f.kubelet.close(); // its containers keep running, as a stopped kubelet's do
      await(Duration.ofSeconds(90)).until(() -> !readyIps(f).contains(ip));
      Duration dropped = Duration.ofNanos(System.nanoTime() - stoppedAt);
      System.out.println("the pod left the ready endpoints " + dropped.toMillis() + " ms after its kubelet stopped");

      // The last renewal was at most 10 s (the kubelet's period) before the stop: grace + 10 s,
      // with room for a loaded machine, and long before the 300 s toleration runs out.
      assertThat(dropped).isLessThan(GRACE.plusSeconds(10).plusSeconds(15));
      Pod after = f.get("web");
      assertThat(after.getMetadata().getDeletionTimestamp()).as("not evicted: marked not ready").isEmpty();
      assertThat(ready(after)).isEqualTo("False");
      assertThat(notReadyIps(f)).contains(ip);
      assertThat(f.client.<Event>list(Resources.EVENTS, f.namespace, "").stream()
          .filter(e -> e.getInvolvedObject().getName().equals("web"))
          .map(e -> e.getType() + " " + e.getReason() + ": " + e.getMessage())).contains("Warning NodeNotReady: Node is not ready");
    }
  }

  /**
   * The other half: a node that is heard again (a partition that healed before its pods were
   * evicted) must not leave its pods not Ready for good. Its running kubelet writes their status
   * back, as Kubernetes' status manager reconciles with the API's copy. (This passed before the
   * controller marked pods too: the kubelet sees the changed pod and its Ready condition's
   * transition time moves, so the status it computes is new and is written.)
   */
  @Test
  void aPodMarkedNotReadyByTheControllerIsMadeReadyAgainByItsRunningKubelet() throws Exception {
    try (KubeletFixture f = new KubeletFixture("heard").start()) {
      f.create(KubeletFixture.pod("web", "Always", KubeletFixture.sh("web", "exec sleep 3600")));
      Pod running = f.await("web", Duration.ofSeconds(120), p -> ready(p).equals("True"));
      // What the node lifecycle controller writes for the pods of a node it has not heard from.
      List<PodCondition> conditions = running.getStatus().getConditionsList().stream()
          .map(c -> c.getType().equals("Ready") ? c.toBuilder().setStatus("False").build() : c).toList();
      f.client.updateStatus(running.toBuilder().setStatus(running.getStatus().toBuilder().clearConditions()
          .addAllConditions(conditions)).build());
      assertThat(ready(f.get("web"))).isEqualTo("False");
      await(Duration.ofSeconds(60)).until(() -> ready(f.get("web")).equals("True"));
    }
  }

  private static org.awaitility.core.ConditionFactory await(Duration atMost) {
    return Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(200)).ignoreExceptions();
  }

  private static String ready(Pod p) {
    return p.getStatus().getConditionsList().stream().filter(c -> c.getType().equals("Ready"))
        .map(PodCondition::getStatus).findFirst().orElse("");
  }

  private static Optional<Endpoints> endpoints(KubeletFixture f) {
    return f.client.find(Resources.ENDPOINTS, f.namespace, "web");
  }

  private static List<String> readyIps(KubeletFixture f) {
    return endpoints(f).map(e -> e.getSubsetsList().stream().flatMap(s -> s.getAddressesList().stream())
        .map(EndpointAddress::getIp).toList()).orElse(List.of());
  }

  private static List<String> notReadyIps(KubeletFixture f) {
    return endpoints(f).map(e -> e.getSubsetsList().stream().map(EndpointSubset::getNotReadyAddressesList)
        .flatMap(List::stream).map(EndpointAddress::getIp).toList()).orElse(List.of());
  }
}
