package io.minik8s.apiserver.registry;

import static io.minik8s.apiserver.registry.RegistryFixture.IP_PREFIX;
import static io.minik8s.apiserver.registry.RegistryFixture.PORT_PREFIX;
import static io.minik8s.apiserver.registry.RegistryFixture.nodePortService;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.minik8s.api.Service;
import io.minik8s.apiserver.storage.FakeStore;
import io.minik8s.apiserver.storage.FakeStore.Op;
import io.minik8s.apiserver.storage.Store;
import io.minik8s.client.api.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A Service write that fails gives back what it took, and frees what it gave up only once committed. */
@Timeout(30)
class ServiceAllocationRollbackTest {
  final RegistryFixture f = new RegistryFixture();
  final FakeStore store = f.store;

  @Test
  void aCreateThatTimesOutGivesItsClusterIpAndNodePortBack() {
    store.failOnce(Op.CREATE, f.serviceKey("web")::equals,
        new Store.UnavailableException("etcdserver: request timed out", null));

    assertThatThrownBy(() -> f.registry.create(nodePortService("web", 30007), false))
        .isInstanceOf(Store.UnavailableException.class);

    assertThat(store.keys(IP_PREFIX)).as("ClusterIP given back").isEmpty();
    assertThat(store.keys(PORT_PREFIX)).as("node port given back").isEmpty();
    // The same port can be asked for again at once.
    Service again = (Service) f.registry.create(nodePortService("web", 30007), false);
    assertThat(again.getSpec().getPorts(0).getNodePort()).isEqualTo(30007);
  }

  @Test
  void aCreateWhoseWriteFailsOtherwiseGivesBackToo() {
    store.failOnce(Op.CREATE, f.serviceKey("web")::equals, new IllegalStateException("disk full"));

    assertThatThrownBy(() -> f.registry.create(nodePortService("web", 0), false))
        .isInstanceOf(IllegalStateException.class);

    assertThat(store.keys(IP_PREFIX)).isEmpty();
    assertThat(store.keys(PORT_PREFIX)).isEmpty();
  }

  @Test
  void anUpdateThatLosesItsCompareAndSwapKeepsTheOldPortAndFreesTheNewOne() {
    Service created = (Service) f.registry.create(nodePortService("web", 30001), false);
    // Another writer changes the Service between this update's read and its write.
    store.modifyBeforeNextUpdate(f.serviceKey("web"));
    Service moved = created.toBuilder().setSpec(created.getSpec().toBuilder()
        .setPorts(0, created.getSpec().getPorts(0).toBuilder().setNodePort(30002))).build();

    assertThatThrownBy(() -> f.registry.update(moved, false))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.ABORTED));

    assertThat(store.keys(PORT_PREFIX)).as("30001 is still the Service's; 30002 was never committed")
        .containsExactly(PORT_PREFIX + "30001");
  }

  @Test
  void aCommittedUpdateFreesTheOldPortAfterwards() {
    Service created = (Service) f.registry.create(nodePortService("web", 30001), false);
    Service moved = created.toBuilder().setSpec(created.getSpec().toBuilder()
        .setPorts(0, created.getSpec().getPorts(0).toBuilder().setNodePort(30002))).build();

    f.registry.update(moved, false);

    assertThat(store.keys(PORT_PREFIX)).containsExactly(PORT_PREFIX + "30002");
    assertThat(((Service) f.registry.get(Resources.SERVICES, "ns", "web")).getSpec().getPorts(0).getNodePort())
        .isEqualTo(30002);
  }
}
