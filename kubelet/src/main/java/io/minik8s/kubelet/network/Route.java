package io.minik8s.kubelet.network;

import io.minik8s.client.net.Ipv4Cidr;
import java.util.List;
import java.util.Set;

/**
 * One IPv4 route of the host's main table, as {@code ip -4 -o route show} prints it:
 * {@code 10.244.1.0/24 via 198.18.77.3 dev eth0 proto 77} or
 * {@code 10.244.0.0/24 dev br-1 proto kernel scope link src 10.244.0.1}.
 *
 * @param type {@code unicast} unless the line starts with another route type (blackhole, ...)
 * @param gateway the {@code via} address, empty for a directly connected route
 */
public record Route(String type, Ipv4Cidr destination, String gateway, String device, String protocol) {
  /** Route types iproute2 prints before the destination when they are not unicast. */
  private static final Set<String> TYPES = Set.of("unicast", "local", "broadcast", "multicast", "anycast",
      "unreachable", "blackhole", "prohibit", "throw", "nat");

  /** A network on one of this host's links: what the host reaches without a gateway. */
  public boolean connected() {
    return type.equals("unicast") && gateway.isEmpty() && destination.prefix() > 0;
  }

  /** Whether the pod-network agent put it there (its routes carry {@link HostGwAgent#ROUTE_PROTOCOL}). */
  public boolean ours() {
    return protocol.equals(HostGwAgent.ROUTE_PROTOCOL);
  }

  /** Parses one line of {@code ip -4 -o route show}; flags such as {@code onlink} and {@code linkdown} are skipped. */
  public static Route parse(String line) {
    List<String> words = List.of(line.strip().split("\\s+"));
    int i = 0;
    String type = "unicast";
    if (TYPES.contains(words.get(0))) {
      type = words.get(0);
      i = 1;
    }
    String dst = words.get(i);
    Ipv4Cidr destination = dst.equals("default") ? new Ipv4Cidr(0, 0)
        : dst.contains("/") ? Ipv4Cidr.parse(dst) : new Ipv4Cidr(Ipv4Cidr.address(dst), 32);
    String gateway = "";
    String device = "";
    String protocol = "boot"; // what the kernel assumes when a route is added without "proto"
    for (i = i + 1; i + 1 < words.size(); i++) {
      switch (words.get(i)) {
        case "via" -> gateway = words.get(++i);
        case "dev" -> device = words.get(++i);
        case "proto" -> protocol = words.get(++i);
        default -> { }
      }
    }
    return new Route(type, destination, gateway, device, protocol);
  }
}
