package io.minik8s.client.net;

/**
 * An IPv4 block such as {@code 10.244.1.0/24}, and the address arithmetic the components share:
 * the api-server's Service IP range, the controller-manager's pod CIDRs, the kubelet's networks.
 * Addresses are unsigned 32-bit values held in a {@code long}.
 */
public record Ipv4Cidr(long base, int prefix) {

  public Ipv4Cidr {
    if (prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException("an IPv4 prefix is 0 to 32, not " + prefix);
    }
    base &= mask(prefix);
  }

  /** The block of {@code a.b.c.d/n}; host bits are dropped. */
  public static Ipv4Cidr parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a CIDR block: " + cidr);
    }
    int prefix;
    try {
      prefix = Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an IPv4 CIDR block: " + cidr);
    }
    if (prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException("not an IPv4 CIDR block: " + cidr);
    }
    try {
      return new Ipv4Cidr(address(cidr.substring(0, slash)), prefix);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not an IPv4 CIDR block: " + cidr);
    }
  }

  /** A dotted quad such as {@code 10.96.0.10} as a number. */
  public static long address(String ip) {
    String[] octets = ip.split("\\.", -1);
    if (octets.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + ip);
    }
    long value = 0;
    for (String octet : octets) {
      if (octet.isEmpty() || octet.length() > 3 || !octet.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("not an IPv4 address: " + ip);
      }
      int b = Integer.parseInt(octet);
      if (b > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + ip);
      }
      value = (value << 8) | b;
    }
    return value;
  }

  /** A number back as a dotted quad. */
  public static String format(long address) {
    return ((address >> 24) & 255) + "." + ((address >> 16) & 255) + "." + ((address >> 8) & 255) + "." + (address & 255);
  }

  private static long mask(int prefix) {
    return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
  }

  /** How many addresses the block holds. */
  public long size() {
    return 1L << (32 - prefix);
  }

  public boolean contains(long address) {
    return (address & mask(prefix)) == base;
  }

  /** Two blocks overlap exactly when the shorter prefix covers the other's base address. */
  public boolean overlaps(Ipv4Cidr other) {
    int shorter = Math.min(prefix, other.prefix);
    return (base & mask(shorter)) == (other.base & mask(shorter));
  }

  @Override
  public String toString() {
    return format(base) + "/" + prefix;
  }
}
