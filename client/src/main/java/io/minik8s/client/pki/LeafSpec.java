package io.minik8s.client.pki;

import java.util.List;

/**
 * What one leaf certificate says: its subject (CN is the user, each O a group, as Kubernetes'
 * x509 authenticator reads them), the names it may serve as (DNS names and IP addresses, for a
 * serving certificate) and whether it serves, acts as a client, or both (extended key usage),
 * as kubeadm's {@code certutil.Config} in k8s.io/client-go/util/cert.
 */
public record LeafSpec(String commonName, List<String> organizations, List<String> dnsNames, List<String> ipAddresses,
    boolean serverAuth, boolean clientAuth) {

  public LeafSpec {
    if (commonName == null || commonName.isBlank()) {
      throw new IllegalArgumentException("a certificate needs a common name");
    }
    if (!serverAuth && !clientAuth) {
      throw new IllegalArgumentException("certificate " + commonName + " is neither for a server nor for a client");
    }
    organizations = List.copyOf(organizations);
    dnsNames = List.copyOf(dnsNames);
    ipAddresses = List.copyOf(ipAddresses);
  }

  /** A client certificate for user {@code user} in {@code groups}. */
  public static LeafSpec client(String user, String... groups) {
    return new LeafSpec(user, List.of(groups), List.of(), List.of(), false, true);
  }

  /** A serving certificate for these names ({@link SubjectNames} sorts DNS names from addresses). */
  public static LeafSpec server(String commonName, SubjectNames names) {
    return new LeafSpec(commonName, List.of(), names.dnsNames(), names.ipAddresses(), true, false);
  }

  /** This certificate also usable the other way (a kubelet's serves and calls with one). */
  public LeafSpec withClientAuth(String... groups) {
    return new LeafSpec(commonName, List.of(groups), dnsNames, ipAddresses, serverAuth, true);
  }
}
