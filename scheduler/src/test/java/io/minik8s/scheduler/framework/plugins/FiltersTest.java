package io.minik8s.scheduler.framework.plugins;

import static io.minik8s.scheduler.TestObjects.node;
import static io.minik8s.scheduler.TestObjects.pod;
import static io.minik8s.scheduler.TestObjects.tainted;
import static io.minik8s.scheduler.TestObjects.toleration;
import static io.minik8s.scheduler.TestObjects.withHostPort;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Node;
import io.minik8s.api.NodeCondition;
import io.minik8s.api.NodeSelectorRequirement;
import io.minik8s.api.NodeSelectorTerm;
import io.minik8s.api.Pod;
import io.minik8s.scheduler.framework.NodeInfo;
import io.minik8s.scheduler.framework.PodInfo;
import io.minik8s.scheduler.framework.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class FiltersTest {
  private static PodInfo p(Pod.Builder b) {
    return PodInfo.of(b.build());
  }

  private static NodeInfo n(Node.Builder b, PodInfo... pods) {
    return NodeInfo.of(b.build(), pods);
  }

  @Test
  void nodeReadyNeedsReadyTrue() {
    NodeReady f = new NodeReady();
    assertThat(f.filter(p(pod("a", null, null)), n(node("n", "1", "1Gi", 10))).success()).isTrue();
    Node.Builder notReady = node("n", "1", "1Gi", 10);
    notReady.getStatusBuilder().setConditions(0, NodeCondition.newBuilder().setType("Ready").setStatus("Unknown"));
    assertThat(f.filter(p(pod("a", null, null)), n(notReady)).reasons()).containsExactly("node(s) were not ready");
    Node.Builder noConditions = node("n", "1", "1Gi", 10);
    noConditions.getStatusBuilder().clearConditions();
    assertThat(f.filter(p(pod("a", null, null)), n(noConditions)).success()).isFalse();
  }

  @Test
  void cordonedNodeRefusesPodsUnlessTolerated() {
    NodeUnschedulable f = new NodeUnschedulable();
    Node.Builder cordoned = node("n", "1", "1Gi", 10);
    cordoned.getSpecBuilder().setUnschedulable(true);
    assertThat(f.filter(p(pod("a", null, null)), n(cordoned)).reasons()).containsExactly("node(s) were unschedulable");
    Pod.Builder tolerant = pod("a", null, null);
    tolerant.getSpecBuilder().addTolerations(toleration("node.kubernetes.io/unschedulable", "Exists", "", "NoSchedule"));
    assertThat(f.filter(p(tolerant), n(cordoned)).success()).isTrue();
  }

  @Test
  void resourcesMustFitWhatIsLeft() {
    NodeResourcesFit f = new NodeResourcesFit();
    NodeInfo node = n(node("n", "1", "1Gi", 3), p(pod("x", "600m", "512Mi")));
    assertThat(f.filter(p(pod("a", "400m", "512Mi")), node).success()).isTrue();
    assertThat(f.filter(p(pod("a", "500m", "100Mi")), node).reasons()).containsExactly("Insufficient cpu");
    assertThat(f.filter(p(pod("a", "1m", "513Mi")), node).reasons()).containsExactly("Insufficient memory");
    assertThat(f.filter(p(pod("a", "2", "2Gi")), node).reasons()).containsExactly("Insufficient cpu", "Insufficient memory");
    // a pod requesting nothing fits anywhere there is room for one more pod
    assertThat(f.filter(p(pod("a", null, null)), node).success()).isTrue();
  }

  @Test
  void podCountIsLimitedByAllocatablePods() {
    NodeResourcesFit f = new NodeResourcesFit();
    NodeInfo full = n(node("n", "8", "8Gi", 2), p(pod("x", null, null)), p(pod("y", null, null)));
    assertThat(f.filter(p(pod("a", null, null)), full).reasons()).containsExactly("Too many pods");
  }

  @Test
  void initContainersCountAsTheirMaximum() {
    Pod.Builder b = pod("a", "200m", "100Mi");
    b.getSpecBuilder().addInitContainers(pod("i", "900m", "10Mi").getSpec().getContainers(0));
    PodInfo info = p(b);
    assertThat(info.requests().milliCpu()).isEqualTo(900);
    assertThat(info.requests().memory()).isEqualTo(100L << 20);
  }

  @Test
  void nodeSelectorMustMatchEveryLabel() {
    NodeAffinity f = new NodeAffinity();
    Node.Builder labeled = node("n", "1", "1Gi", 10);
    labeled.getMetadataBuilder().putLabels("disk", "ssd").putLabels("zone", "a");
    Pod.Builder b = pod("a", null, null);
    b.getSpecBuilder().putNodeSelector("disk", "ssd");
    assertThat(f.filter(p(b), n(labeled)).success()).isTrue();
    b.getSpecBuilder().putNodeSelector("zone", "b");
    assertThat(f.filter(p(b), n(labeled)).reasons()).containsExactly("node(s) didn't match Pod's node affinity/selector");
  }

  @Test
  void requiredNodeAffinityOrsTermsAndAndsExpressions() {
    NodeAffinity f = new NodeAffinity();
    Node.Builder labeled = node("n", "1", "1Gi", 10);
    labeled.getMetadataBuilder().putLabels("zone", "a").putLabels("cores", "16");
    Node node = labeled.build();
    assertThat(matches(node, term(req("zone", "In", "a", "b")))).isTrue();
    assertThat(matches(node, term(req("zone", "NotIn", "a")))).isFalse();
    assertThat(matches(node, term(req("zone", "Exists")))).isTrue();
    assertThat(matches(node, term(req("gpu", "DoesNotExist")))).isTrue();
    assertThat(matches(node, term(req("cores", "Gt", "8")))).isTrue();
    assertThat(matches(node, term(req("cores", "Lt", "8")))).isFalse();
    assertThat(matches(node, term(req("zone", "Gt", "8")))).isFalse(); // not a number
    // ANDed expressions: one false makes the term false
    assertThat(matches(node, term(req("zone", "In", "a"), req("gpu", "Exists")))).isFalse();
    // ORed terms: one true is enough
    assertThat(matches(node, term(req("gpu", "Exists")), term(req("zone", "In", "a")))).isTrue();
    // an empty term matches nothing
    assertThat(matches(node, NodeSelectorTerm.getDefaultInstance())).isFalse();
    // matchFields on metadata.name
    assertThat(matches(node, NodeSelectorTerm.newBuilder().addMatchFields(req("metadata.name", "In", "n")).build())).isTrue();
  }

  private static boolean matches(Node node, NodeSelectorTerm... terms) {
    Pod.Builder b = pod("a", null, null);
    b.getSpecBuilder().getAffinityBuilder().getNodeAffinityBuilder()
        .getRequiredDuringSchedulingIgnoredDuringExecutionBuilder().addAllNodeSelectorTerms(List.of(terms));
    return new NodeAffinity().filter(PodInfo.of(b.build()), NodeInfo.of(node)).success();
  }

  private static NodeSelectorTerm term(NodeSelectorRequirement... reqs) {
    return NodeSelectorTerm.newBuilder().addAllMatchExpressions(List.of(reqs)).build();
  }

  private static NodeSelectorRequirement req(String key, String op, String... values) {
    return NodeSelectorRequirement.newBuilder().setKey(key).setOperator(op).addAllValues(List.of(values)).build();
  }

  @Test
  void untoleratedNoScheduleAndNoExecuteTaintsFilter() {
    TaintToleration f = new TaintToleration();
    NodeInfo gpu = n(tainted(node("n", "1", "1Gi", 10), "gpu", "true", "NoSchedule"));
    Status s = f.filter(p(pod("a", null, null)), gpu);
    assertThat(s.reasons()).containsExactly("node(s) had untolerated taint {gpu: true}");
    Pod.Builder equal = pod("a", null, null);
    equal.getSpecBuilder().addTolerations(toleration("gpu", "Equal", "true", "NoSchedule"));
    assertThat(f.filter(p(equal), gpu).success()).isTrue();
    Pod.Builder wrongValue = pod("a", null, null);
    wrongValue.getSpecBuilder().addTolerations(toleration("gpu", "Equal", "false", ""));
    assertThat(f.filter(p(wrongValue), gpu).success()).isFalse();
    Pod.Builder exists = pod("a", null, null);
    exists.getSpecBuilder().addTolerations(toleration("", "Exists", "", ""));
    assertThat(f.filter(p(exists), gpu).success()).isTrue();
    NodeInfo noExecute = n(tainted(node("n", "1", "1Gi", 10), "dedicated", "db", "NoExecute"));
    assertThat(f.filter(p(pod("a", null, null)), noExecute).success()).isFalse();
    NodeInfo soft = n(tainted(node("n", "1", "1Gi", 10), "spot", "", "PreferNoSchedule"));
    assertThat(f.filter(p(pod("a", null, null)), soft).success()).isTrue();
  }

  @Test
  void hostPortsConflictPerProtocolAndAddress() {
    NodePorts f = new NodePorts();
    NodeInfo node = n(node("n", "1", "1Gi", 10), p(withHostPort(pod("x", null, null), 8080)));
    assertThat(f.filter(p(withHostPort(pod("a", null, null), 8080)), node).reasons())
        .containsExactly("node(s) didn't have free ports for the requested pod ports");
    assertThat(f.filter(p(withHostPort(pod("a", null, null), 8081)), node).success()).isTrue();
    Pod.Builder udp = withHostPort(pod("a", null, null), 8080);
    udp.getSpecBuilder().getContainersBuilder(0).getPortsBuilder(0).setProtocol("UDP");
    assertThat(f.filter(p(udp), node).success()).isTrue();
  }
}
