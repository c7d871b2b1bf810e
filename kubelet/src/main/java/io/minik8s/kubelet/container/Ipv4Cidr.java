package io.minik8s.kubelet.container;

/** An IPv4 block such as {@code 10.244.1.0/24}: enough arithmetic to tell whether two blocks overlap. */
record Ipv4Cidr(int base, int prefix) {

  static Ipv4Cidr parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a CIDR block: " + cidr);
    }
    String[] octets = cidr.substring(0, slash).split("\\.");
    int prefix = Integer.parseInt(cidr.substring(slash + 1));
    if (octets.length != 4 || prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException("not an IPv4 CIDR block: " + cidr);
    }
    int address = 0;
    for (String octet : octets) {
      int value = Integer.parseInt(octet);
      if (value < 0 || value > 255) {
        throw new IllegalArgumentException("not an IPv4 CIDR block: " + cidr);
      }
      address = (address << 8) | value;
    }
    return new Ipv4Cidr(address & mask(prefix), prefix);
  }

  private static int mask(int prefix) {
    return prefix == 0 ? 0 : -1 << (32 - prefix);
  }

  /** Two blocks overlap exactly when the shorter prefix covers the other's base address. */
  boolean overlaps(Ipv4Cidr other) {
    int shorter = Math.min(prefix, other.prefix);
    return (base & mask(shorter)) == (other.base & mask(shorter));
  }
}
