package io.minik8s.apiserver.admission;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * IP and CIDR literal checks. Hand-written because {@link java.net.InetAddress#getByName} would
 * resolve host names (a DNS lookup inside validation) instead of rejecting them.
 */
final class IpAddresses {
  static final String IP_MSG = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
  static final String CIDR_MSG = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern HEX_GROUP = Pattern.compile("[0-9a-fA-F]{1,4}");

  private IpAddresses() {}

  static boolean isIp(String s) {
    return isIpv4(s) || isIpv6(s);
  }

  /**
   * Kubernetes' ValidateNonSpecialIP (pkg/apis/core/validation/validation.go), for a valid IP
   * literal, plus all of multicast where Kubernetes refuses only its link-local part: no endpoint
   * answers a TCP connection on a group address. Empty when the address may be an endpoint.
   */
  static List<String> nonSpecialIp(String ip) {
    InetAddress a;
    try {
      a = InetAddress.getByName(ip); // a literal (checked by isIp): parsed, never looked up
    } catch (UnknownHostException e) {
      return List.of(IP_MSG);
    }
    List<String> out = new ArrayList<>();
    if (a.isAnyLocalAddress()) {
      out.add("may not be unspecified (0.0.0.0)");
    }
    if (a.isLoopbackAddress()) {
      out.add("may not be in the loopback range (127.0.0.0/8, ::1/128)");
    }
    if (a.isLinkLocalAddress()) {
      out.add("may not be in the link-local range (169.254.0.0/16, fe80::/10)");
    }
    if (a.isMCLinkLocal()) {
      out.add("may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)");
    } else if (a.isMulticastAddress()) {
      out.add("may not be in the multicast range (224.0.0.0/4, ff00::/8)");
    }
    return out;
  }

  static boolean isCidr(String s) {
    int slash = s.indexOf('/');
    if (slash < 0) {
      return false;
    }
    String ip = s.substring(0, slash);
    String bits = s.substring(slash + 1);
    if (!bits.matches("\\d{1,3}")) {
      return false;
    }
    int prefix = Integer.parseInt(bits);
    return isIpv4(ip) ? prefix <= 32 : isIpv6(ip) && prefix <= 128;
  }

  static boolean isIpv4(String s) {
    var m = IPV4.matcher(s);
    if (!m.matches()) {
      return false;
    }
    for (int i = 1; i <= 4; i++) {
      if (Integer.parseInt(m.group(i)) > 255) {
        return false;
      }
    }
    return true;
  }

  static boolean isIpv6(String s) {
    if (!s.contains(":")) {
      return false;
    }
    int doubleColon = s.indexOf("::");
    if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
      return false;
    }
    String[] halves = doubleColon >= 0
        ? new String[] {s.substring(0, doubleColon), s.substring(doubleColon + 2)}
        : new String[] {s};
    int groups = 0;
    for (int h = 0; h < halves.length; h++) {
      if (halves[h].isEmpty()) {
        continue;
      }
      String[] parts = halves[h].split(":", -1);
      for (int i = 0; i < parts.length; i++) {
        boolean last = h == halves.length - 1 && i == parts.length - 1;
        if (last && parts[i].contains(".")) {
          if (!isIpv4(parts[i])) {
            return false;
          }
          groups += 2;
        } else if (HEX_GROUP.matcher(parts[i]).matches()) {
          groups++;
        } else {
          return false;
        }
      }
    }
    return doubleColon >= 0 ? groups < 8 : groups == 8;
  }
}
