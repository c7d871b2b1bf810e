package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minik8s.api.Event;
import io.minik8s.api.Node;
import io.minik8s.api.NodeAddress;
import io.minik8s.api.NodeCondition;
import io.minik8s.api.NodeSpec;
import io.minik8s.api.NodeStatus;
import io.minik8s.api.ObjectMeta;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import io.minik8s.client.component.SupervisedLoops;
import io.minik8s.client.events.EventRecorder;
import io.minik8s.client.informer.Informer;
import io.minik8s.kubelet.network.HostGwAgent;
import io.minik8s.kubelet.network.LinuxHostNetwork;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The kubelet's pod-network agent against a real kernel and real Nodes: it runs on the shared
 * control plane with {@link LinuxHostNetwork} acting in a network namespace this test creates
 * (a "VM" with address 198.18.99.2/24 and a stand-in pod bridge 10.252.0.1/24) and deletes, so
 * nothing of the host's own routes or iptables is touched. The nodes' pod CIDRs are in
 * 10.252.0.0/16, which no other test uses.
 */
@Timeout(180)
class HostGwNetnsTest {
  private static final String CLUSTER = "10.252.0.0/16";
  private final ControlPlane cp = ControlPlane.shared();
  private final ApiClient client = cp.client;
  private final String suffix = Long.toString(System.nanoTime() % 1_000_000, 36);
  private final String ns = "hgw-e2e-" + suffix;
  private final String self = "hgw-self-" + suffix;
  private final List<String> nodes = new ArrayList<>();
  private Informer<Node> informer;
  private EventRecorder events;
  private HostGwAgent agent;

  @BeforeEach
  void createNamespace() throws Exception {
    sh("ip", "netns", "add", ns);
    sh("ip", "-n", ns, "link", "set", "lo", "up");
    sh("ip", "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", "pods0");
    sh("ip", "-n", ns, "addr", "add", "198.18.99.2/24", "dev", "eth0");
    sh("ip", "-n", ns, "addr", "add", "10.252.0.1/24", "dev", "pods0");
    sh("ip", "-n", ns, "link", "set", "eth0", "up");
    sh("ip", "-n", ns, "link", "set", "pods0", "up");
    sh("ip", "netns", "exec", ns, "iptables", "-w", "5", "-N", "DOCKER-USER"); // Docker makes it on a real node
    node(self, "10.252.0.0/24", "198.18.99.2");
  }

  @AfterEach
  void deleteEverything() throws Exception {
    if (agent != null) {
      agent.close();
    }
    if (informer != null) {
      informer.close();
    }
    if (events != null) {
      events.close();
    }
    for (String n : nodes) {
      client.find(Resources.NODES, "", n).ifPresent(x -> client.delete(Resources.NODES, "", n));
    }
    run("ip", "netns", "del", ns);
  }

  private void startAgent() throws InterruptedException {
    informer = new Informer<>(client, Resources.NODES);
    events = new EventRecorder(client, "kubelet", self, Clock.systemUTC());
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    agent = new HostGwAgent(self, "10.252.0.0/24", CLUSTER, new LinuxHostNetwork(ns), informer.cache()::list,
        events::record, registry, new SupervisedLoops(registry, Clock.systemUTC()), Clock.systemUTC(),
        Duration.ofMillis(200), Duration.ofSeconds(1));
    informer.addEventHandler(agent.handler());
    informer.start();
    assertThat(informer.waitForSync(Duration.ofSeconds(30))).isTrue();
    agent.start();
  }

  private void stopAgent() {
    agent.close();
    informer.close();
    events.close();
    agent = null;
    informer = null;
    events = null;
  }

  @Test
  void routesFollowTheNodesAndTheRulesAreInTheKernel() throws Exception {
    node("hgw-a-" + suffix, "10.252.1.0/24", "198.18.99.3");
    node("hgw-b-" + suffix, "10.252.2.0/24", "198.18.99.4");
    startAgent();
    await().until(() -> ourRoutes().equals(List.of("10.252.1.0/24 via 198.18.99.3", "10.252.2.0/24 via 198.18.99.4")));
    await().until(() -> rulePresent("filter", "DOCKER-USER", "-d", "10.252.0.0/24", "-j", "ACCEPT")
        && rulePresent("nat", "POSTROUTING", "-s", "10.252.0.0/24", "!", "-d", CLUSTER, "-m", "comment",
        "--comment", "minik8s pod traffic leaving the cluster", "-j", "MASQUERADE"));
    assertThat(routes()).as("the stand-in pod bridge of this node is left as it is")
        .contains("10.252.0.0/24 dev pods0 proto kernel scope link src 10.252.0.1");

    // The cluster made again, the stale-route case: the node comes back under its name
    // with another pod CIDR (a pod CIDR cannot change in place), and the route follows.
    client.delete(Resources.NODES, "", "hgw-b-" + suffix);
    node("hgw-b-" + suffix, "10.252.3.0/24", "198.18.99.4");
    await().until(() -> ourRoutes().equals(List.of("10.252.1.0/24 via 198.18.99.3", "10.252.3.0/24 via 198.18.99.4")));
    // A new address moves the route; a deleted node's route goes.
    moveAddress("hgw-a-" + suffix, "198.18.99.13");
    await().until(() -> ourRoutes().equals(List.of("10.252.1.0/24 via 198.18.99.13", "10.252.3.0/24 via 198.18.99.4")));
    client.delete(Resources.NODES, "", "hgw-a-" + suffix);
    await().until(() -> ourRoutes().equals(List.of("10.252.3.0/24 via 198.18.99.4")));

    // A route deleted by hand comes back at the next resync (the kubelet queues one every 10 s).
    sh("ip", "-n", ns, "route", "del", "10.252.3.0/24");
    agent.resync();
    await().until(() -> ourRoutes().equals(List.of("10.252.3.0/24 via 198.18.99.4")));

    // A node deleted while the agent is down: the restarted agent removes the route it left.
    stopAgent();
    client.delete(Resources.NODES, "", "hgw-b-" + suffix);
    node("hgw-c-" + suffix, "10.252.4.0/24", "198.18.99.5");
    startAgent();
    await().until(() -> ourRoutes().equals(List.of("10.252.4.0/24 via 198.18.99.5")));
  }

  @Test
  void aRouteTheKernelRefusesIsAnEventAndIsSetOnceItCanBe() throws Exception {
    String far = "hgw-far-" + suffix;
    node(far, "10.252.5.0/24", "198.18.98.5"); // not on any network of this "VM": no next hop
    startAgent();
    await().until(() -> events(far).stream().anyMatch(e -> e.startsWith("FailedToSetRoute: could not route node " + far
        + "'s pod CIDR 10.252.5.0/24 via 198.18.98.5 (retrying): ip -n " + ns + " route replace")
        && e.contains("Nexthop has invalid gateway")));
    assertThat(ourRoutes()).isEmpty();
    // The VM gets onto that network: the retries (backoff up to 1 s here) set the route.
    sh("ip", "-n", ns, "addr", "add", "198.18.98.2/24", "dev", "eth0");
    await().until(() -> ourRoutes().equals(List.of("10.252.5.0/24 via 198.18.98.5")));
    assertThat(events(far)).as("one Event for the failure, not one per retry")
        .filteredOn(e -> e.startsWith("FailedToSetRoute")).hasSize(1);
  }

  @Test
  void badNodesAreEventsAndGetNoRoute() throws Exception {
    String noIp = "hgw-noip-" + suffix;
    String twin1 = "hgw-twin1-" + suffix;
    String twin2 = "hgw-twin2-" + suffix;
    String overlap = "hgw-overlap-" + suffix;
    String good = "hgw-good-" + suffix;
    node(noIp, "10.252.6.0/24", "");
    node(twin1, "10.252.7.0/24", "198.18.99.7");
    node(twin2, "10.252.7.0/24", "198.18.99.8");
    node(overlap, "198.18.99.128/25", "198.18.99.9");
    node(good, "10.252.8.0/24", "198.18.99.10");
    startAgent();
    await().until(() -> ourRoutes().equals(List.of("10.252.8.0/24 via 198.18.99.10")));
    await().until(() -> events(noIp).contains("NoInternalIP: node " + noIp + " has no InternalIP address: no route to its pod CIDR 10.252.6.0/24"));
    await().until(() -> events(twin1).stream().anyMatch(e -> e.startsWith("PodCIDRConflict: pod CIDR 10.252.7.0/24 of node " + twin1 + " overlaps")));
    await().until(() -> events(twin2).stream().anyMatch(e -> e.startsWith("PodCIDRConflict: pod CIDR 10.252.7.0/24 of node " + twin2 + " overlaps")));
    await().until(() -> events(overlap).contains("PodCIDROverlapsHostNetwork: pod CIDR 198.18.99.128/25 of node " + overlap
        + " overlaps this host's network 198.18.99.0/24 (dev eth0): no route installed"));
    assertThat(ourRoutes()).containsExactly("10.252.8.0/24 via 198.18.99.10");
  }

  private static ConditionFactory await() {
    return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200));
  }

  private void node(String name, String podCidr, String ip) {
    nodes.add(name);
    Node n = client.create(Node.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(name))
        .setSpec(NodeSpec.newBuilder().setPodCidr(podCidr).addPodCidrs(podCidr)).build());
    NodeStatus.Builder status = NodeStatus.newBuilder()
        .addConditions(NodeCondition.newBuilder().setType("Ready").setStatus("True"));
    if (!ip.isEmpty()) {
      status.addAddresses(NodeAddress.newBuilder().setType("InternalIP").setAddress(ip));
    }
    client.updateStatus(n.toBuilder().setStatus(status).build());
  }

  private void moveAddress(String name, String ip) {
    Node n = client.get(Resources.NODES, "", name);
    client.updateStatus(n.toBuilder().setStatus(n.getStatus().toBuilder().clearAddresses()
        .addAddresses(NodeAddress.newBuilder().setType("InternalIP").setAddress(ip))).build());
  }

  /** "reason: message" of the Events about a node. */
  private List<String> events(String node) {
    return client.<Event>list(Resources.EVENTS, "default", "").stream()
        .filter(e -> e.getInvolvedObject().getName().equals(node)).map(e -> e.getReason() + ": " + e.getMessage()).toList();
  }

  private List<String> routes() throws Exception {
    return run("ip", "-n", ns, "-4", "-o", "route", "show", "table", "main").out().lines().map(String::strip).toList();
  }

  /** The routes marked as the agent's, as "CIDR via GATEWAY", sorted. */
  private List<String> ourRoutes() throws Exception {
    return routes().stream().filter(l -> l.contains(" proto 77"))
        .map(l -> l.replaceFirst("^(\\S+) via (\\S+) .*$", "$1 via $2")).sorted().toList();
  }

  private boolean rulePresent(String table, String chain, String... spec) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "iptables", "-w", "5", "-t", table, "-C", chain));
    cmd.addAll(List.of(spec));
    return run(cmd.toArray(String[]::new)).exitCode() == 0;
  }

  private static HostCommand.Result run(String... cmd) throws Exception {
    return HostCommand.run(Map.of(), Duration.ofSeconds(30), false, cmd);
  }

  private static void sh(String... cmd) throws Exception {
    HostCommand.Result r = run(cmd);
    assertThat(r.exitCode()).as(String.join(" ", cmd) + ": " + r.out()).isZero();
  }
}
