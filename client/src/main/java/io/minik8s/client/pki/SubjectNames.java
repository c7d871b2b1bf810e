package io.minik8s.client.pki;

import com.google.common.net.InetAddresses;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The subject alternative names of a serving certificate, split as X.509 wants them: IP
 * addresses (127.0.0.1, a node's address) apart from DNS names (localhost, kubernetes.default).
 * Order is kept and duplicates dropped, so the same inputs give the same certificate.
 */
public record SubjectNames(List<String> dnsNames, List<String> ipAddresses) {
  public SubjectNames {
    dnsNames = List.copyOf(dnsNames);
    ipAddresses = List.copyOf(ipAddresses);
  }

  /** Sorts each name into DNS or IP; a blank one is skipped, a malformed one refused by name. */
  public static SubjectNames of(Collection<String> names) {
    Set<String> dns = new LinkedHashSet<>();
    Set<String> ips = new LinkedHashSet<>();
    for (String raw : names) {
      String n = raw == null ? "" : raw.strip();
      if (n.isEmpty()) {
        continue;
      }
      if (InetAddresses.isInetAddress(n)) {
        ips.add(InetAddresses.toAddrString(InetAddresses.forString(n)));
      } else if (n.matches("[A-Za-z0-9*]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
        dns.add(n.toLowerCase(java.util.Locale.ROOT));
      } else {
        throw new IllegalArgumentException("subject alternative name \"" + n + "\" is neither an IP address nor a DNS name");
      }
    }
    return new SubjectNames(new ArrayList<>(dns), new ArrayList<>(ips));
  }

  /** Every name of both. */
  public SubjectNames plus(SubjectNames other) {
    List<String> all = new ArrayList<>(dnsNames);
    all.addAll(ipAddresses);
    all.addAll(other.dnsNames);
    all.addAll(other.ipAddresses);
    return of(all);
  }

  /** Whether every name of {@code other} is among these. */
  public boolean covers(SubjectNames other) {
    return dnsNames.containsAll(other.dnsNames) && ipAddresses.containsAll(other.ipAddresses);
  }
}
