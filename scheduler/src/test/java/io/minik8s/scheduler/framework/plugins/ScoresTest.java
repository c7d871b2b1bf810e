package io.minik8s.scheduler.framework.plugins;

import static io.minik8s.scheduler.TestObjects.node;
import static io.minik8s.scheduler.TestObjects.ownedBy;
import static io.minik8s.scheduler.TestObjects.pod;
import static io.minik8s.scheduler.TestObjects.tainted;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.scheduler.framework.NodeInfo;
import io.minik8s.scheduler.framework.PodInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoresTest {
  @Test
  void leastAllocatedPrefersTheEmptierNode() {
    NodeResourcesLeastAllocated s = new NodeResourcesLeastAllocated();
    PodInfo pod = PodInfo.of(pod("a", "1", "1Gi").build());
    NodeInfo empty = NodeInfo.of(node("e", "4", "4Gi", 10).build());
    NodeInfo busy = NodeInfo.of(node("b", "4", "4Gi", 10).build(), PodInfo.of(pod("x", "2", "2Gi").build()));
    assertThat(s.score(pod, empty)).isEqualTo(75);
    assertThat(s.score(pod, busy)).isEqualTo(25);
  }

  @Test
  void balancedAllocationPrefersEqualShares() {
    NodeResourcesBalancedAllocation s = new NodeResourcesBalancedAllocation();
    PodInfo pod = PodInfo.of(pod("a", "1", "1Gi").build());
    NodeInfo even = NodeInfo.of(node("e", "4", "4Gi", 10).build());
    NodeInfo skewed = NodeInfo.of(node("s", "4", "4Gi", 10).build(), PodInfo.of(pod("x", "2", "1Mi").build()));
    assertThat(s.score(pod, even)).isEqualTo(100);
    assertThat(s.score(pod, skewed)).isLessThan(100);
  }

  @Test
  void selectorSpreadPrefersNodesWithFewerSiblings() {
    SelectorSpread s = new SelectorSpread();
    PodInfo pod = PodInfo.of(ownedBy(pod("a", null, null), "rs-1").build());
    NodeInfo two = NodeInfo.of(node("t", "4", "4Gi", 10).build(),
        PodInfo.of(ownedBy(pod("x", null, null), "rs-1").build()), PodInfo.of(ownedBy(pod("y", null, null), "rs-1").build()));
    NodeInfo other = NodeInfo.of(node("o", "4", "4Gi", 10).build(), PodInfo.of(ownedBy(pod("z", null, null), "rs-2").build()));
    List<NodeInfo> nodes = List.of(two, other);
    long[] scores = {s.score(pod, two), s.score(pod, other)};
    s.normalize(pod, nodes, scores);
    assertThat(scores).containsExactly(0, 100);
  }

  @Test
  void preferNoScheduleTaintsLowerTheScore() {
    TaintToleration s = new TaintToleration();
    PodInfo pod = PodInfo.of(pod("a", null, null).build());
    NodeInfo clean = NodeInfo.of(node("c", "4", "4Gi", 10).build());
    NodeInfo soft = NodeInfo.of(tainted(node("s", "4", "4Gi", 10), "spot", "", "PreferNoSchedule").build());
    long[] scores = {s.score(pod, clean), s.score(pod, soft)};
    s.normalize(pod, List.of(clean, soft), scores);
    assertThat(scores).containsExactly(100, 0);
  }
}
