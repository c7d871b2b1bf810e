package io.minik8s.scheduler.framework;

import static io.minik8s.scheduler.TestObjects.node;
import static io.minik8s.scheduler.TestObjects.ownedBy;
import static io.minik8s.scheduler.TestObjects.pod;
import static io.minik8s.scheduler.TestObjects.tainted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minik8s.api.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameworkTest {
  private final Framework framework = Framework.defaults(new Random(1));

  @Test
  void summarizesWhyNoNodeFitsAsKubernetesDoes() {
    Pod.Builder b = pod("big", "3", "3Gi");
    b.getSpecBuilder().putNodeSelector("disk", "ssd");
    var n1 = node("n1", "4", "2Gi", 10);
    n1.getMetadataBuilder().putLabels("disk", "ssd");
    var n2 = node("n2", "4", "2Gi", 10);
    n2.getMetadataBuilder().putLabels("disk", "ssd");
    List<NodeInfo> nodes = List.of(NodeInfo.of(n1.build()), NodeInfo.of(n2.build()), NodeInfo.of(node("n3", "8", "8Gi", 10).build()));
    assertThatThrownBy(() -> framework.schedule(PodInfo.of(b.build()), nodes))
        .isInstanceOf(FitError.class)
        .hasMessage("0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 Insufficient memory.");
  }

  @Test
  void countsEveryShortageOfANode() {
    List<NodeInfo> nodes = List.of(NodeInfo.of(node("n1", "1", "1Gi", 10).build()), NodeInfo.of(node("n2", "1", "1Gi", 10).build()));
    assertThatThrownBy(() -> framework.schedule(PodInfo.of(pod("big", "2", "2Gi").build()), nodes))
        .hasMessage("0/2 nodes are available: 2 Insufficient cpu, 2 Insufficient memory.");
    List<NodeInfo> mixed = List.of(NodeInfo.of(tainted(node("n1", "8", "8Gi", 10), "gpu", "true", "NoSchedule").build()),
        NodeInfo.of(node("n2", "1", "1Gi", 10).build()));
    assertThatThrownBy(() -> framework.schedule(PodInfo.of(pod("big", "2", null).build()), mixed))
        .hasMessage("0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {gpu: true}.");
    assertThatThrownBy(() -> framework.schedule(PodInfo.of(pod("p", null, null).build()), List.of()))
        .hasMessage("0/0 nodes are available.");
  }

  @Test
  void placesOnTheOnlyNodeThatFits() throws FitError {
    List<NodeInfo> nodes = List.of(NodeInfo.of(node("small", "1", "1Gi", 10).build()), NodeInfo.of(node("large", "8", "8Gi", 10).build()));
    assertThat(framework.schedule(PodInfo.of(pod("p", "2", "1Gi").build()), nodes).nodeName()).isEqualTo("large");
  }

  @Test
  void spreadsTheReplicasOfOneControllerAndBreaksTiesAtRandom() throws FitError {
    List<NodeInfo> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      nodes.add(NodeInfo.of(node("n" + i, "4", "4Gi", 110).build()));
    }
    Map<String, Integer> perNode = new HashMap<>();
    for (int i = 0; i < 30; i++) {
      PodInfo p = PodInfo.of(ownedBy(pod("p" + i, "100m", "100Mi"), "rs-1").build());
      String chosen = framework.schedule(p, nodes).nodeName();
      nodes.stream().filter(n -> n.name().equals(chosen)).findFirst().orElseThrow().addPod(p);
      perNode.merge(chosen, 1, Integer::sum);
    }
    assertThat(perNode).containsEntry("n0", 10).containsEntry("n1", 10).containsEntry("n2", 10);
  }

  @Test
  void largeClustersStopSearchingOnceEnoughNodesAreFeasible() throws FitError {
    assertThat(Framework.numFeasibleNodesToFind(50)).isEqualTo(50);
    assertThat(Framework.numFeasibleNodesToFind(1000)).isEqualTo(420);
    assertThat(Framework.numFeasibleNodesToFind(5000)).isEqualTo(500);
    List<NodeInfo> nodes = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      nodes.add(NodeInfo.of(node(String.format("n%04d", i), "4", "4Gi", 110).build()));
    }
    Framework.Result r = framework.schedule(PodInfo.of(pod("p", "1", "1Gi").build()), nodes);
    assertThat(r.evaluated()).isEqualTo(420);
    assertThat(r.feasible()).isEqualTo(420);
  }
}
