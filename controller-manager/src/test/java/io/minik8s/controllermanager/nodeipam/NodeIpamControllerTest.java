package io.minik8s.controllermanager.nodeipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minik8s.api.Node;
import io.minik8s.api.NodeSpec;
import io.minik8s.api.ObjectMeta;
import io.minik8s.client.api.Resources;
import io.minik8s.controllermanager.testing.FakeClient;
import io.minik8s.client.clock.FakeClock;
import io.minik8s.controllermanager.testing.FakeRecorder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeIpamControllerTest {
  final FakeClock clock = new FakeClock();
  final FakeClient client = new FakeClient(clock);

  private NodeIpamController controller(CidrSet set) {
    return new NodeIpamController(client.lister(Resources.NODES), client, new FakeRecorder(), clock, set);
  }

  private static Node node(String name, String cidr) {
    return Node.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(name))
        .setSpec(cidr.isEmpty() ? NodeSpec.getDefaultInstance() : NodeSpec.newBuilder().setPodCidr(cidr).addPodCidrs(cidr).build())
        .build();
  }

  private String cidrOf(String name) {
    return client.<Node>stored(Resources.NODES, "", name).getSpec().getPodCidr();
  }

  @Test
  void cutsTheClusterCidrIntoDistinctSubnets() {
    CidrSet set = new CidrSet("10.244.0.0/16", 24);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 256; i++) {
      assertThat(seen.add(set.allocateNext().orElseThrow())).isTrue();
    }
    assertThat(seen).contains("10.244.0.0/24", "10.244.255.0/24");
    assertThat(set.allocateNext()).isEmpty();
    set.release("10.244.7.0/24");
    assertThat(set.allocateNext()).contains("10.244.7.0/24");
  }

  @Test
  void rejectsSubnetsOutsideTheCluster() {
    CidrSet set = new CidrSet("10.244.0.0/16", 24);
    assertThat(set.occupy("10.245.0.0/24")).isFalse();
    assertThat(set.occupy("10.244.1.0/25")).isFalse();
    assertThatThrownBy(() -> new CidrSet("10.244.0.0/25", 24)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void givesEveryNodeItsOwnPodCidr() {
    NodeIpamController c = controller(new CidrSet("10.244.0.0/16", 24));
    client.seed(node("a", ""), node("b", ""), node("c", ""));
    c.beforeWorkers();
    for (String n : List.of("a", "b", "c")) {
      c.sync(n);
    }
    assertThat(List.of(cidrOf("a"), cidrOf("b"), cidrOf("c"))).doesNotHaveDuplicates()
        .allMatch(x -> x.matches("10\\.244\\.\\d+\\.0/24"));
    assertThat(client.<Node>stored(Resources.NODES, "", "a").getSpec().getPodCidrsList()).containsExactly(cidrOf("a"));
  }

  @Test
  void recoversTheSubnetsExistingNodesHoldBeforeAllocating() {
    client.seed(node("old-0", "10.244.0.0/24"), node("old-1", "10.244.1.0/24"), node("new", ""));
    NodeIpamController restarted = controller(new CidrSet("10.244.0.0/16", 24));
    restarted.beforeWorkers();
    restarted.sync("new");
    assertThat(cidrOf("new")).isEqualTo("10.244.2.0/24");
    restarted.sync("old-0");
    assertThat(client.actions).containsExactly("update nodes new");
  }

  @Test
  void aNodeIsNeverGivenTwoSubnets() {
    NodeIpamController c = controller(new CidrSet("10.244.0.0/16", 24));
    client.seed(node("a", ""));
    c.sync("a");
    c.sync("a");
    assertThat(client.actions).containsExactly("update nodes a");
  }
}
