package io.minik8s.kubeproxy;

import io.minik8s.client.net.Ipv4Cidr;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Which of the node's addresses NodePorts are served on (Kubernetes' --nodeport-addresses,
 * pkg/proxy/util/nodeport_addresses.go). Without the flag: every IPv4 address of the node except
 * loopback, so a NodePort is never a way in to what listens on 127.0.0.1 only, nor reachable
 * through 127.0.0.1 by whatever runs on the node. With CIDRs: the node addresses inside them;
 * loopback only when a listed CIDR holds it (the one-host cluster lists 127.0.0.0/8, as
 * Kubernetes' iptables mode serves localhost NodePorts only when told). The Service addresses
 * kube-proxy itself puts on its virtual-IP device are never node addresses.
 */
public final class NodePortAddresses {
  private static final Ipv4Cidr LOOPBACK = Ipv4Cidr.parse("127.0.0.0/8");

  /** One IPv4 address of one interface. */
  public record NodeAddress(String device, String ip) {}

  private final List<Ipv4Cidr> cidrs;
  private final String virtualIpDevice;

  /**
   * @param cidrs the flag's CIDRs; empty: every non-loopback address
   * @param virtualIpDevice where ClusterIPs are bound ({@code --virtual-ip-device})
   */
  public NodePortAddresses(List<String> cidrs, String virtualIpDevice) {
    this.cidrs = cidrs.stream().map(String::strip).filter(c -> !c.isEmpty()).map(c -> {
      try {
        return Ipv4Cidr.parse(c);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--nodeport-addresses: " + e.getMessage(), e);
      }
    }).toList();
    this.virtualIpDevice = virtualIpDevice;
  }

  /** The addresses to serve NodePorts on now, read from the node's interfaces. */
  public List<String> current() {
    return select(interfaceAddresses());
  }

  /** The addresses to serve NodePorts on, among {@code addresses}, in their order. */
  public List<String> select(List<NodeAddress> addresses) {
    List<String> out = new ArrayList<>();
    for (NodeAddress a : addresses) {
      long ip = Ipv4Cidr.address(a.ip());
      boolean loopback = LOOPBACK.contains(ip);
      if (a.device().equals(virtualIpDevice) && !loopback) {
        continue; // a ClusterIP or the DNS address that kube-proxy bound there
      }
      boolean wanted = cidrs.isEmpty() ? !loopback : cidrs.stream().anyMatch(c -> c.contains(ip));
      if (wanted && !out.contains(a.ip())) {
        out.add(a.ip());
      }
    }
    return out;
  }

  private static List<NodeAddress> interfaceAddresses() {
    List<NodeAddress> out = new ArrayList<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp()) {
          continue;
        }
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (a instanceof Inet4Address) {
            out.add(new NodeAddress(nic.getName(), a.getHostAddress()));
          }
        }
      }
    } catch (SocketException e) {
      throw new IllegalStateException("cannot list the node's addresses: " + e.getMessage(), e);
    }
    return out;
  }

  @Override
  public String toString() {
    return cidrs.isEmpty() ? "every non-loopback node address" : cidrs.toString();
  }
}
