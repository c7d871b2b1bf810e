package io.minik8s.controllermanager.nodeipam;

import java.util.BitSet;
import java.util.Optional;

/**
 * The pod subnets of a cluster CIDR (IPv4): {@code 10.244.0.0/16} cut into /24s, each handed out
 * at most once. Kubernetes' cidrset, without IPv6.
 */
public final class CidrSet {
  private final long base;
  private final int clusterPrefix;
  private final int subnetPrefix;
  private final int size;
  private final BitSet used = new BitSet();
  private int next;

  public CidrSet(String clusterCidr, int subnetPrefix) {
    String[] parts = clusterCidr.split("/");
    if (parts.length != 2) {
      throw new IllegalArgumentException("invalid CIDR address: " + clusterCidr);
    }
    this.clusterPrefix = Integer.parseInt(parts[1]);
    this.subnetPrefix = subnetPrefix;
    if (clusterPrefix > subnetPrefix || subnetPrefix > 30 || clusterPrefix < 8) {
      throw new IllegalArgumentException("cluster CIDR " + clusterCidr + " cannot be cut into /" + subnetPrefix);
    }
    long mask = clusterPrefix == 0 ? 0 : (0xffffffffL << (32 - clusterPrefix)) & 0xffffffffL;
    this.base = toLong(parts[0]) & mask;
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
    String[] parts = cidr.split("/");
    if (parts.length != 2 || Integer.parseInt(parts[1]) != subnetPrefix) {
      return -1;
    }
    long offset = toLong(parts[0]) - base;
    long step = 1L << (32 - subnetPrefix);
    if (offset < 0 || offset % step != 0 || offset / step >= size) {
      return -1;
    }
    return (int) (offset / step);
  }

  private String format(int i) {
    long addr = base + ((long) i << (32 - subnetPrefix));
    return ((addr >> 24) & 255) + "." + ((addr >> 16) & 255) + "." + ((addr >> 8) & 255) + "." + (addr & 255) + "/" + subnetPrefix;
  }

  private static long toLong(String ip) {
    String[] o = ip.split("\\.");
    if (o.length != 4) {
      throw new IllegalArgumentException("invalid IPv4 address: " + ip);
    }
    long v = 0;
    for (String s : o) {
      int b = Integer.parseInt(s);
      if (b < 0 || b > 255) {
        throw new IllegalArgumentException("invalid IPv4 address: " + ip);
      }
      v = (v << 8) | b;
    }
    return v;
  }
}
