package io.minik8s.scheduler.cache;

import static io.minik8s.scheduler.TestObjects.node;
import static io.minik8s.scheduler.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Pod;
import io.minik8s.client.clock.FakeClock;
import io.minik8s.scheduler.framework.PodInfo;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SchedulerCacheTest {
  private final FakeClock clock = new FakeClock();
  private final SchedulerCache cache = new SchedulerCache(clock, Duration.ofSeconds(30));
  private final Snapshot snapshot = new Snapshot();

  private long cpuRequestedOn(String node) {
    cache.updateSnapshot(snapshot);
    return snapshot.get(node).requested().milliCpu();
  }

  @Test
  void assumedPodsCountUntilForgotten() {
    cache.addOrUpdateNode(node("n1", "4", "4Gi", 10).build());
    cache.assumePod(PodInfo.of(pod("a", "1", null).build()), "n1");
    assertThat(cpuRequestedOn("n1")).isEqualTo(1000);
    cache.forgetPod("uid-a");
    assertThat(cpuRequestedOn("n1")).isZero();
  }

  @Test
  void informerConfirmsAnAssumedPodWithoutCountingItTwice() {
    cache.addOrUpdateNode(node("n1", "4", "4Gi", 10).build());
    Pod p = pod("a", "1", null).build();
    cache.assumePod(PodInfo.of(p), "n1");
    cache.finishBinding("uid-a");
    cache.addOrUpdatePod(p.toBuilder().setSpec(p.getSpec().toBuilder().setNodeName("n1")).build());
    assertThat(cache.isAssumed("uid-a")).isFalse();
    assertThat(cpuRequestedOn("n1")).isEqualTo(1000);
    clock.advance(Duration.ofMinutes(1));
    assertThat(cache.cleanupExpiredAssumedPods()).isZero();
    assertThat(cpuRequestedOn("n1")).isEqualTo(1000);
  }

  @Test
  void unconfirmedAssumptionExpiresAfterTheTtl() {
    cache.addOrUpdateNode(node("n1", "4", "4Gi", 10).build());
    cache.assumePod(PodInfo.of(pod("a", "1", null).build()), "n1");
    clock.advance(Duration.ofMinutes(5));
    assertThat(cache.cleanupExpiredAssumedPods()).as("no expiry while the binding is in flight").isZero();
    cache.finishBinding("uid-a");
    clock.advance(Duration.ofSeconds(31));
    assertThat(cache.cleanupExpiredAssumedPods()).isEqualTo(1);
    assertThat(cpuRequestedOn("n1")).isZero();
  }

  @Test
  void snapshotSeesRemovedNodesAndNewPods() {
    cache.addOrUpdateNode(node("n1", "4", "4Gi", 10).build());
    cache.addOrUpdateNode(node("n2", "4", "4Gi", 10).build());
    cache.updateSnapshot(snapshot);
    assertThat(snapshot.nodes()).extracting(n -> n.name()).containsExactly("n1", "n2");
    cache.removeNode("n1");
    Pod bound = pod("a", "2", null).build();
    cache.addOrUpdatePod(bound.toBuilder().setSpec(bound.getSpec().toBuilder().setNodeName("n2")).build());
    cache.updateSnapshot(snapshot);
    assertThat(snapshot.nodes()).extracting(n -> n.name()).containsExactly("n2");
    assertThat(snapshot.get("n2").requested().milliCpu()).isEqualTo(2000);
    cache.removePod("uid-a");
    assertThat(cpuRequestedOn("n2")).isZero();
  }
}
