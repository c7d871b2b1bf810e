package io.minik8s.controllermanager.nodeipam;

import io.minik8s.client.net.Ipv4Cidr;
import java.util.BitSet;
import java.util.Optional;

/**
 * The pod subnets of a cluster CIDR (IPv4): {@code 10.244.0.0/16} cut into /24s, each handed out
 * at most once. Kubernetes' cidrset, without IPv6.
 *
 * <p>Mirrors Kubernetes' pkg/controller/nodeipam/ipam/cidrset/cidr_set.go.
 */
public final class CidrSet {
  private final long base;
  private final int clusterPrefix;
  private final int subnetPrefix;
  private final int size;
  private final BitSet used = new BitSet();
  private int next;

  public CidrSet(String clusterCidr, int subnetPrefix) {
    Ipv4Cidr cluster = Ipv4Cidr.parse(clusterCidr);
    this.clusterPrefix = cluster.prefix();
    this.subnetPrefix = subnetPrefix;
    if (clusterPrefix > subnetPrefix || subnetPrefix > 30 || clusterPrefix < 8) {
      throw new IllegalArgumentException("cluster CIDR " + clusterCidr + " cannot be cut into /" + subnetPrefix);
    }
    this.base = cluster.base();
    this.size = 1 << (subnetPrefix - clusterPrefix);
  }

  /** The next free subnet, round-robin after the last one given (as Kubernetes does), or empty when full. */
  public synchronized Optional<String> allocateNext() {
    for (int i = 0; i < size; i++) {
      int candidate = (next + i) % size;
      if (!used.get(candidate)) {
        used.set(candidate);
        next = (candidate + 1) % size;
        return Optional.of(format(candidate));
      }
    }
    return Optional.empty();
  }

  /** Marks a subnet taken (one a node already has); false if it is not a subnet of this set. */
  public synchronized boolean occupy(String cidr) {
    int i = index(cidr);
    if (i < 0) {
      return false;
    }
    used.set(i);
    return true;
  }

  public synchronized void release(String cidr) {
    int i = index(cidr);
    if (i >= 0) {
      used.clear(i);
    }
  }

  public synchronized boolean isUsed(String cidr) {
    int i = index(cidr);
    return i >= 0 && used.get(i);
  }

  private int index(String cidr) {
    Ipv4Cidr subnet;
    try {
      subnet = Ipv4Cidr.parse(cidr);
    } catch (IllegalArgumentException e) {
      return -1;
    }
    if (subnet.prefix() != subnetPrefix || !cidr.startsWith(Ipv4Cidr.format(subnet.base()) + "/")) {
      return -1;
    }
    long offset = subnet.base() - base;
    if (offset < 0 || offset / subnet.size() >= size) {
      return -1;
    }
    return (int) (offset / subnet.size());
  }

  private String format(int i) {
    return new Ipv4Cidr(base + ((long) i << (32 - subnetPrefix)), subnetPrefix).toString();
  }
}
