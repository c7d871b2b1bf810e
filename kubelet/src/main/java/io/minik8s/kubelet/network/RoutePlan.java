package io.minik8s.kubelet.network;

import io.minik8s.api.Node;
import io.minik8s.api.NodeAddress;
import io.minik8s.client.net.Ipv4Cidr;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the host-gw agent decides, from the Nodes and this host's own network, with no side
 * effect: the route each other node's pod CIDR should have (via that node's InternalIP), the
 * nodes that get none because their input is bad (each with a reason for an Event), and those
 * that need none here. The cases, in the order they are checked:
 * <ul>
 *   <li>this node, or a node with no pod CIDR yet: nothing;</li>
 *   <li>a pod CIDR that is not an IPv4 block, or that overlaps another node's: a problem (for both
 *       nodes of a conflict: which of them is right is not this agent's to guess);</li>
 *   <li>a node with no InternalIP, or one that is not IPv4: a problem;</li>
 *   <li>a pod CIDR that is exactly a network already on this host's links (another kubelet's pod
 *       bridge on the same host), or a node whose InternalIP is this host's own (several kubelets
 *       on one host): no route needed, and routing the CIDR via this host would loop;</li>
 *   <li>a pod CIDR that overlaps a network on this host's links: a problem;</li>
 *   <li>otherwise: a route to the pod CIDR via the InternalIP.</li>
 * </ul>
 */
public record RoutePlan(List<Wanted> routes, Map<String, Problem> problems, Map<String, String> servedHere) {

  /** A route this host should have. */
  public record Wanted(String node, Ipv4Cidr podCidr, String gateway) {}

  /** Why a node gets no route: an Event's reason and message. */
  public record Problem(String reason, String message) {}

  public static RoutePlan of(String self, Collection<Node> nodes, List<Route> hostRoutes, List<String> hostAddresses) {
    Map<String, Ipv4Cidr> cidrs = new LinkedHashMap<>();
    Map<String, Problem> problems = new LinkedHashMap<>();
    for (Node n : nodes) {
      String name = n.getMetadata().getName();
      String cidr = n.getSpec().getPodCidr();
      if (cidr.isEmpty()) {
        continue;
      }
      try {
        cidrs.put(name, Ipv4Cidr.parse(cidr));
      } catch (IllegalArgumentException e) {
        problems.put(name, new Problem("InvalidPodCIDR", "pod CIDR \"" + cidr + "\" of node " + name
            + " is not an IPv4 CIDR block: no route to its pods"));
      }
    }
    cidrs.forEach((name, cidr) -> cidrs.forEach((other, otherCidr) -> {
      if (!name.equals(other) && cidr.overlaps(otherCidr) && !problems.containsKey(name)) {
        problems.put(name, new Problem("PodCIDRConflict", "pod CIDR " + cidr + " of node " + name
            + " overlaps pod CIDR " + otherCidr + " of node " + other + ": no route to either"));
      }
    }));

    List<Wanted> routes = new ArrayList<>();
    Map<String, String> servedHere = new LinkedHashMap<>();
    for (Node n : nodes) {
      String name = n.getMetadata().getName();
      Ipv4Cidr cidr = cidrs.get(name);
      if (name.equals(self) || cidr == null || problems.containsKey(name)) {
        continue;
      }
      Optional<String> ip = internalIp(n);
      if (ip.isEmpty()) {
        problems.put(name, new Problem("NoInternalIP", "node " + name + " has no InternalIP address: no route to its pod CIDR " + cidr));
        continue;
      }
      long address;
      try {
        address = Ipv4Cidr.address(ip.get());
      } catch (IllegalArgumentException e) {
        problems.put(name, new Problem("InvalidInternalIP", "InternalIP \"" + ip.get() + "\" of node " + name
            + " is not an IPv4 address: no route to its pod CIDR " + cidr));
        continue;
      }
      Optional<Route> same = hostRoutes.stream().filter(r -> r.connected() && r.destination().equals(cidr)).findFirst();
      if (same.isPresent()) {
        servedHere.put(name, "its pod CIDR " + cidr + " is on this host (dev " + same.get().device() + ")");
        continue;
      }
      if (hostAddresses.contains(ip.get()) || LOOPBACK.contains(address)) {
        servedHere.put(name, "its InternalIP " + ip.get() + " is this host's own");
        continue;
      }
      Optional<Route> overlapping = hostRoutes.stream()
          .filter(r -> r.connected() && !r.ours() && r.destination().overlaps(cidr)).findFirst();
      if (overlapping.isPresent()) {
        problems.put(name, new Problem("PodCIDROverlapsHostNetwork", "pod CIDR " + cidr + " of node " + name
            + " overlaps this host's network " + overlapping.get().destination() + " (dev "
            + overlapping.get().device() + "): no route installed"));
        continue;
      }
      routes.add(new Wanted(name, cidr, ip.get()));
    }
    return new RoutePlan(List.copyOf(routes), Map.copyOf(problems), Map.copyOf(servedHere));
  }

  private static final Ipv4Cidr LOOPBACK = Ipv4Cidr.parse("127.0.0.0/8");

  /** The node's first InternalIP, as Kubernetes' node address helpers pick it. */
  static Optional<String> internalIp(Node node) {
    return node.getStatus().getAddressesList().stream().filter(a -> a.getType().equals("InternalIP"))
        .map(NodeAddress::getAddress).filter(a -> !a.isBlank()).findFirst();
  }
}
