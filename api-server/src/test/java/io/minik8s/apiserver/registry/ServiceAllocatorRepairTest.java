package io.minik8s.apiserver.registry;

import static io.minik8s.apiserver.registry.RegistryFixture.IP_PREFIX;
import static io.minik8s.apiserver.registry.RegistryFixture.PORT_PREFIX;
import static io.minik8s.apiserver.registry.RegistryFixture.nodePortService;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minik8s.api.Service;
import io.minik8s.apiserver.storage.FakeStore;
import java.time.Duration;
import org.awaitility.Awaitility;
import io.minik8s.client.component.SupervisedLoops;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The repair loop gives back what no Service holds and takes again what a Service holds. */
@Timeout(30)
class ServiceAllocatorRepairTest {
  final RegistryFixture f = new RegistryFixture();
  final FakeStore store = f.store;
  final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  final SupervisedLoops loops = new SupervisedLoops(metrics, java.time.Clock.systemUTC());
  final ServiceAllocatorRepair repair = new ServiceAllocatorRepair(store, metrics, loops);

  double repaired(String range, String action) {
    return metrics.counter("apiserver_service_allocator_repairs_total", "range", range, "action", action).count();
  }

  @Test
  void aLeakedAllocationIsReleasedOnTheSecondPassThatStillFindsIt() {
    Service kept = (Service) f.registry.create(nodePortService("kept", 30005), false);
    // a leaked address other than the one the allocator picked at random for "kept"
    String leaked = kept.getSpec().getClusterIp().equals("10.96.0.99") ? "10.96.0.98" : "10.96.0.99";
    store.put(IP_PREFIX + leaked, new byte[0]);
    store.put(PORT_PREFIX + "30042", new byte[0]);

    assertThat(repair.runOnce()).isEqualTo(new ServiceAllocatorRepair.Result(0, 0, 2));
    assertThat(store.keys(PORT_PREFIX)).as("kept for a pass: it may be a create in flight").contains(PORT_PREFIX + "30042");

    assertThat(repair.runOnce()).isEqualTo(new ServiceAllocatorRepair.Result(0, 2, 0));
    assertThat(store.keys(IP_PREFIX)).containsExactly(IP_PREFIX + kept.getSpec().getClusterIp());
    assertThat(store.keys(PORT_PREFIX)).containsExactly(PORT_PREFIX + "30005");
    assertThat(repaired("clusterip", "released")).isEqualTo(1);
    assertThat(repaired("nodeport", "released")).isEqualTo(1);
  }

  @Test
  void aCreateInFlightBetweenTwoPassesKeepsItsAllocation() {
    repair.runOnce();
    store.put(PORT_PREFIX + "30042", new byte[0]); // allocated, Service not yet written
    repair.runOnce();
    f.registry.create(nodePortService("late", 0), false); // another Service meanwhile
    store.remove(PORT_PREFIX + "30042");
    store.put(PORT_PREFIX + "30042", new byte[0]); // released and taken again: a new revision

    repair.runOnce();

    assertThat(store.keys(PORT_PREFIX)).contains(PORT_PREFIX + "30042");
  }

  @Test
  void aMissingAllocationIsTakenAgain() {
    Service svc = (Service) f.registry.create(nodePortService("web", 30007), false);
    store.remove(IP_PREFIX + svc.getSpec().getClusterIp());
    store.remove(PORT_PREFIX + "30007");

    assertThat(repair.runOnce().retaken()).isEqualTo(2);

    assertThat(store.keys(IP_PREFIX)).containsExactly(IP_PREFIX + svc.getSpec().getClusterIp());
    assertThat(store.keys(PORT_PREFIX)).containsExactly(PORT_PREFIX + "30007");
    assertThat(repaired("clusterip", "retaken")).isEqualTo(1);
    assertThat(repaired("nodeport", "retaken")).isEqualTo(1);
    // And so the port is refused to another Service again.
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.registry.create(nodePortService("clash", 30007), false))
        .hasMessageContaining("provided port is already allocated");
  }

  @Test
  void thePeriodicLoopRepairsAndSurvivesAFailingPass() {
    Service svc = (Service) f.registry.create(nodePortService("web", 0), false);
    int port = svc.getSpec().getPorts(0).getNodePort();
    store.remove(PORT_PREFIX + port);
    store.failOnce(FakeStore.Op.CREATE, k -> k.startsWith(PORT_PREFIX), new IllegalStateException("etcd went away"));

    repair.start(Duration.ofMillis(50));
    try {
      Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> store.keys(PORT_PREFIX).contains(PORT_PREFIX + port));
      assertThat(metrics.counter("loop_errors_total", "loop", ServiceAllocatorRepair.LOOP).count()).isEqualTo(1);
      assertThat(loops.healthy(ServiceAllocatorRepair.LOOP)).isTrue();
    } finally {
      repair.close();
    }
  }
}
