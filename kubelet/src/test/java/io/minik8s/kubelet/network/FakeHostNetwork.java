package io.minik8s.kubelet.network;

import io.minik8s.client.net.Ipv4Cidr;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A routing table and firewall in memory that records every change asked of it, and can be told to fail. */
final class FakeHostNetwork implements HostNetwork {
  final List<Route> routes = new CopyOnWriteArrayList<>();
  final List<String> addresses = new CopyOnWriteArrayList<>(List.of("127.0.0.1"));
  final Set<IptablesRule> rules = new LinkedHashSet<>();
  /** Every change, in order: "replace 10.244.1.0/24 via 10.0.0.2", "delete ...", "rule -t ...". */
  final List<String> actions = new CopyOnWriteArrayList<>();
  /** How many more route replacements fail. */
  final AtomicInteger replaceFailures = new AtomicInteger();
  volatile boolean rulesFail;
  volatile RuntimeException routesThrow;

  FakeHostNetwork connected(String cidr, String device, String address) {
    routes.add(new Route("unicast", Ipv4Cidr.parse(cidr), "", device, "kernel"));
    addresses.add(address);
    return this;
  }

  @Override
  public List<Route> routes() {
    if (routesThrow != null) {
      throw routesThrow;
    }
    return new ArrayList<>(routes);
  }

  @Override
  public List<String> addresses() {
    return new ArrayList<>(addresses);
  }

  @Override
  public void replaceRoute(Ipv4Cidr destination, String gateway) {
    if (replaceFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("ip route replace " + destination + " via " + gateway + " failed (exit 2): Error: Nexthop has invalid gateway.");
    }
    routes.removeIf(r -> r.destination().equals(destination));
    routes.add(new Route("unicast", destination, gateway, "eth0", HostGwAgent.ROUTE_PROTOCOL));
    actions.add("replace " + destination + " via " + gateway);
  }

  @Override
  public void deleteRoute(Ipv4Cidr destination, String gateway) {
    routes.removeIf(r -> r.ours() && r.destination().equals(destination) && r.gateway().equals(gateway));
    actions.add("delete " + destination + " via " + gateway);
  }

  @Override
  public synchronized void ensureRule(IptablesRule rule) {
    if (rulesFail) {
      throw new IllegalStateException("iptables -t " + rule.table() + " -I " + rule.chain() + " failed (exit 1): iptables: No chain/target/match by that name.");
    }
    if (rules.add(rule)) {
      actions.add("rule " + rule);
    }
  }

  @Override
  public synchronized void deleteRule(IptablesRule rule) {
    if (rules.remove(rule)) {
      actions.add("unrule " + rule);
    }
  }

  List<String> ourRoutes() {
    return routes.stream().filter(Route::ours).map(r -> r.destination() + " via " + r.gateway()).sorted().toList();
  }
}
