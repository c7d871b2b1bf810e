package io.minik8s.kubelet.network;

import io.minik8s.client.net.Ipv4Cidr;
import java.util.List;

/**
 * The host's routing table and firewall, as far as the pod-network agent touches them: the one
 * side effect of {@link HostGwAgent}, so its decisions are tested against a fake and the real
 * thing ({@link LinuxHostNetwork}) against a real kernel. A change that cannot be made throws an
 * {@link IllegalStateException} whose message says why (the command and its output).
 */
public interface HostNetwork {
  /** The IPv4 routes of the main table. */
  List<Route> routes();

  /** The IPv4 addresses on this host's interfaces (without prefix length). */
  List<String> addresses();

  /** Adds or replaces the route to {@code destination} via {@code gateway}, marked as the agent's. */
  void replaceRoute(Ipv4Cidr destination, String gateway);

  /** Removes the agent's route to {@code destination} via {@code gateway}; one already gone is fine. */
  void deleteRoute(Ipv4Cidr destination, String gateway);

  /** Adds the rule unless it is there. */
  void ensureRule(IptablesRule rule);

  /** Removes every copy of the rule; none is fine. */
  void deleteRule(IptablesRule rule);
}
