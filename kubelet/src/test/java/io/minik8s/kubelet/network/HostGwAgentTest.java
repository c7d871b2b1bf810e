package io.minik8s.kubelet.network;

import static io.minik8s.kubelet.network.Nodes.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minik8s.api.Node;
import io.minik8s.client.component.SupervisedLoops;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HostGwAgentTest {
  private static final String CLUSTER = "10.244.0.0/16";
  private final FakeHostNetwork host = new FakeHostNetwork().connected("198.18.77.0/24", "eth0", "198.18.77.2")
      .connected("10.244.0.0/24", "br-self", "10.244.0.1");
  private final List<Node> nodes = new CopyOnWriteArrayList<>(List.of(node("self", "10.244.0.0/24", "198.18.77.2")));
  /** "node reason: message" of every Event recorded. */
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final SupervisedLoops loops = new SupervisedLoops(registry, Clock.systemUTC());
  private final HostGwAgent agent = new HostGwAgent("self", "10.244.0.0/24", CLUSTER, host, () -> new ArrayList<>(nodes),
      (n, type, reason, message) -> events.add(n.getMetadata().getName() + " " + type + " " + reason + ": " + message),
      registry, loops, Clock.systemUTC(), Duration.ofMillis(50), Duration.ofMillis(200));

  @AfterEach
  void stop() {
    agent.close();
  }

  private void set(Node node) {
    nodes.removeIf(n -> n.getMetadata().getName().equals(node.getMetadata().getName()));
    nodes.add(node);
  }

  private void delete(String name) {
    nodes.removeIf(n -> n.getMetadata().getName().equals(name));
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  @Test
  void routesEveryOtherNodeAndAddsTheForwardAndMasqueradeRulesOnce() {
    set(node("a", "10.244.1.0/24", "198.18.77.3"));
    set(node("b", "10.244.2.0/24", "198.18.77.4"));
    assertThat(agent.sync()).isTrue();
    assertThat(host.ourRoutes()).containsExactly("10.244.1.0/24 via 198.18.77.3", "10.244.2.0/24 via 198.18.77.4");
    assertThat(host.rules).containsExactly(HostGwAgent.forwardRule("10.244.0.0/24"),
        HostGwAgent.masqueradeRule("10.244.0.0/24", CLUSTER));
    assertThat(HostGwAgent.masqueradeRule("10.244.0.0/24", CLUSTER).toString())
        .isEqualTo("-t nat POSTROUTING -s 10.244.0.0/24 ! -d 10.244.0.0/16 -m comment --comment minik8s pod traffic leaving the cluster -j MASQUERADE");
    assertThat(gauge("pod_network_routes")).isEqualTo(2);

    int before = host.actions.size();
    assertThat(agent.sync()).isTrue();
    assertThat(host.actions).as("a pass with nothing to do changes nothing").hasSize(before);
    assertThat(events).isEmpty();
  }

  @Test
  void aDeletedNodesRouteIsRemovedAndAChangedCidrOrAddressMovesIt() {
    set(node("a", "10.244.1.0/24", "198.18.77.3"));
    set(node("b", "10.244.2.0/24", "198.18.77.4"));
    set(node("c", "10.244.3.0/24", "198.18.77.5"));
    agent.sync();
    delete("a");
    set(node("b", "10.244.9.0/24", "198.18.77.4"));
    set(node("c", "10.244.3.0/24", "198.18.77.15"));
    assertThat(agent.sync()).isTrue();
    assertThat(host.ourRoutes()).containsExactly("10.244.3.0/24 via 198.18.77.15", "10.244.9.0/24 via 198.18.77.4");
    assertThat(host.actions).contains("delete 10.244.1.0/24 via 198.18.77.3", "delete 10.244.2.0/24 via 198.18.77.4");
    assertThat(gauge("pod_network_routes")).isEqualTo(2);
  }

  @Test
  void onlyItsOwnRoutesAreEverRemovedAndALeftoverOfItsOwnFromBeforeARestartIs() {
    host.routes.add(Route.parse("default via 198.18.77.1 dev eth0"));
    host.routes.add(Route.parse("10.50.0.0/16 via 198.18.77.9 dev eth0 proto static"));
    host.routes.add(Route.parse("10.244.7.0/24 via 198.18.77.8 dev eth0 proto 77"));
    set(node("a", "10.244.1.0/24", "198.18.77.3"));
    assertThat(agent.sync()).isTrue();
    assertThat(host.actions).contains("delete 10.244.7.0/24 via 198.18.77.8")
        .noneMatch(a -> a.startsWith("delete") && !a.contains("10.244.7.0"));
    assertThat(host.routes).extracting(Route::toString).anyMatch(r -> r.contains("10.50.0.0/16"));
  }

  @Test
  void aStaleHandTypedRouteToANodesCidrIsTakenOver() {
    // The stale route: typed by hand for a node that had this CIDR before.
    host.routes.add(Route.parse("10.244.1.0/24 via 198.18.77.99 dev eth0"));
    set(node("a", "10.244.1.0/24", "198.18.77.3"));
    agent.sync();
    assertThat(host.ourRoutes()).containsExactly("10.244.1.0/24 via 198.18.77.3");
    assertThat(host.routes).noneMatch(r -> r.gateway().equals("198.18.77.99"));
  }

  @Test
  void badNodesGetOneEventEachAndNoRouteWhileTheOthersAreRouted() {
    set(node("no-ip", "10.244.1.0/24", ""));
    set(node("twin-1", "10.244.2.0/24", "198.18.77.4"));
    set(node("twin-2", "10.244.2.0/24", "198.18.77.5"));
    set(node("overlaps-host", "198.18.77.0/26", "198.18.77.6"));
    set(node("fine", "10.244.3.0/24", "198.18.77.7"));
    assertThat(agent.sync()).as("bad input is reported, not retried").isTrue();
    agent.sync();
    assertThat(host.ourRoutes()).containsExactly("10.244.3.0/24 via 198.18.77.7");
    assertThat(events).hasSize(4);
    assertThat(events).anyMatch(e -> e.startsWith("no-ip Warning NoInternalIP: node no-ip has no InternalIP"))
        .anyMatch(e -> e.startsWith("twin-1 Warning PodCIDRConflict"))
        .anyMatch(e -> e.startsWith("twin-2 Warning PodCIDRConflict"))
        .anyMatch(e -> e.startsWith("overlaps-host Warning PodCIDROverlapsHostNetwork"));
    assertThat(gauge("pod_network_problem_nodes")).isEqualTo(4);

    set(node("twin-2", "10.244.4.0/24", "198.18.77.5"));
    agent.sync();
    assertThat(host.ourRoutes()).containsExactly("10.244.2.0/24 via 198.18.77.4", "10.244.3.0/24 via 198.18.77.7",
        "10.244.4.0/24 via 198.18.77.5");
  }

  @Test
  void onOneHostNothingIsRoutedAndOnlyTheRulesAreAdded() {
    host.connected("10.244.1.0/24", "br-a", "10.244.1.1");
    nodes.clear();
    nodes.addAll(List.of(node("self", "10.244.0.0/24", "127.0.0.1"), node("a", "10.244.1.0/24", "127.0.0.1"),
        node("b", "10.244.2.0/24", "127.0.0.1")));
    assertThat(agent.sync()).isTrue();
    assertThat(host.actions).allMatch(a -> a.startsWith("rule "));
    assertThat(host.ourRoutes()).isEmpty();
    assertThat(events).isEmpty();
  }

  @Test
  void aRouteThatCannotBeSetIsAnEventOnceAndIsRetriedWithBackoffUntilItIs() {
    set(node("a", "10.244.1.0/24", "198.18.77.3"));
    host.replaceFailures.set(3);
    agent.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> host.ourRoutes().contains("10.244.1.0/24 via 198.18.77.3"));
    assertThat(events).containsExactly("a Warning FailedToSetRoute: could not route node a's pod CIDR 10.244.1.0/24 via "
        + "198.18.77.3 (retrying): ip route replace 10.244.1.0/24 via 198.18.77.3 failed (exit 2): Error: Nexthop has invalid gateway.");
    assertThat(registry.get("pod_network_sync_failures_total").counter().count()).isEqualTo(3);
    assertThat(agent.healthy()).isTrue();
  }

  @Test
  void aRuleThatCannotBeSetIsAnEventOnThisNodeAndIsRetried() {
    host.rulesFail = true;
    agent.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> registry.get("pod_network_sync_failures_total").counter().count() >= 3);
    assertThat(events).hasSize(2).allMatch(e -> e.startsWith("self Warning FailedToSetRule: could not add iptables rule"));
    host.rulesFail = false;
    await().atMost(Duration.ofSeconds(10)).until(() -> host.rules.size() == 2);
  }

  @Test
  void aPassThatThrowsIsCountedAndRetriedAndTheWorkerLivesOn() {
    host.routesThrow = new IllegalStateException("ip -4 -o route show table main failed (exit 1): boom");
    agent.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> loops.errorCount("pod-network") >= 2);
    host.routesThrow = null;
    set(node("a", "10.244.1.0/24", "198.18.77.3"));
    await().atMost(Duration.ofSeconds(10)).until(() -> host.ourRoutes().contains("10.244.1.0/24 via 198.18.77.3"));
    assertThat(agent.healthy()).isTrue();
  }

  @Test
  void theNodeHandlerQueuesAPassThatRoutesAnAddedNodeAndUnroutesADeletedOne() {
    var handler = agent.handler();
    agent.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> host.rules.size() == 2);
    Node a = node("a", "10.244.1.0/24", "198.18.77.3");
    set(a);
    handler.onAdd(a);
    await().atMost(Duration.ofSeconds(10)).until(() -> host.ourRoutes().equals(List.of("10.244.1.0/24 via 198.18.77.3")));
    Node moved = node("a", "10.244.1.0/24", "198.18.77.4");
    set(moved);
    handler.onUpdate(a, moved);
    await().atMost(Duration.ofSeconds(10)).until(() -> host.ourRoutes().equals(List.of("10.244.1.0/24 via 198.18.77.4")));
    delete("a");
    handler.onDelete(moved);
    await().atMost(Duration.ofSeconds(10)).until(() -> host.ourRoutes().isEmpty());
  }
}
