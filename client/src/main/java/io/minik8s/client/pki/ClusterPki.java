package io.minik8s.client.pki;

import io.minik8s.client.tls.ClientTls;
import io.minik8s.client.tls.ServingTls;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * The cluster's PKI in one directory, laid out as kubeadm's /etc/kubernetes/pki
 * (cmd/kubeadm/app/phases/certs/certlist.go): a cluster CA ({@code ca}) and an etcd CA
 * ({@code etcd/ca}), and a leaf per identity signed by one of them. {@link #init} and
 * {@link #node} create what is missing and keep what is there, so every bring-up can call them;
 * a leaf within {@link #RENEW_BEFORE} of its end, not signed by the current CA, or missing a name
 * it should now carry, is made again (kubeadm renews in {@code kubeadm certs renew}; here each
 * bring-up does it). A CA is never replaced: that would cut every member off.
 */
public final class ClusterPki {
  /** A leaf this close to its end is renewed at the next bring-up (the issue's 90 days). */
  public static final Duration RENEW_BEFORE = Duration.ofDays(90);

  // the identities' user names and groups, as Kubernetes' (see the README's Security model)
  public static final String ADMIN_USER = "kubernetes-admin";
  public static final String MASTERS = "system:masters";
  public static final String CONTROLLER_MANAGER_USER = "system:kube-controller-manager";
  public static final String SCHEDULER_USER = "system:kube-scheduler";
  public static final String KUBE_PROXY_USER = "system:kube-proxy";
  public static final String APISERVER_KUBELET_CLIENT_USER = "kube-apiserver-kubelet-client";
  public static final String APISERVER_ETCD_CLIENT_USER = "kube-apiserver-etcd-client";
  public static final String NODE_PREFIX = "system:node:";
  public static final String NODES = "system:nodes";

  // file names (NAME.crt and NAME.key), kubeadm's where it has one
  public static final String CA = "ca";
  public static final String APISERVER = "apiserver";
  public static final String APISERVER_KUBELET_CLIENT = "apiserver-kubelet-client";
  public static final String APISERVER_ETCD_CLIENT = "apiserver-etcd-client";
  public static final String ADMIN = "admin";
  public static final String CONTROLLER_MANAGER = "controller-manager";
  public static final String SCHEDULER = "scheduler";
  public static final String KUBE_PROXY = "kube-proxy";
  public static final String ETCD_DIR = "etcd";
  public static final String ETCD_SERVER = "server";
  public static final String ETCD_PEER = "peer";

  /** The api-server's names inside the cluster, and the first Service IP (the kubernetes Service's). */
  public static final List<String> APISERVER_NAMES = List.of("localhost", "127.0.0.1", "kubernetes", "kubernetes.default",
      "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", "10.96.0.1");

  /** What {@link #init} or {@link #node} did with one certificate, for the bring-up's output. */
  public enum Outcome { CREATED, KEPT, RENEWED }

  private final Path dir;
  private final Clock clock;
  private final Consumer<String> report;

  /**
   * @param report hears one line per certificate created or renewed
   */
  public ClusterPki(Path dir, Clock clock, Consumer<String> report) {
    this.dir = dir;
    this.clock = clock;
    this.report = report;
  }

  public Path dir() {
    return dir;
  }

  /**
   * The CAs and every control-plane leaf. {@code sans} are the control-plane addresses and extra
   * names ({@code --tls-san}): the api-server's certificate carries them beside
   * {@link #APISERVER_NAMES}, and etcd's server and peer certificates beside localhost/127.0.0.1.
   */
  public void init(Collection<String> sans) throws IOException {
    Credential ca = ca(dir, CA, "minik8s-ca");
    Credential etcdCa = ca(dir.resolve(ETCD_DIR), CA, "etcd-ca");
    SubjectNames extra = SubjectNames.of(sans);
    leaf(ca, dir, APISERVER, LeafSpec.server("kube-apiserver", SubjectNames.of(APISERVER_NAMES).plus(extra)));
    leaf(ca, dir, APISERVER_KUBELET_CLIENT, LeafSpec.client(APISERVER_KUBELET_CLIENT_USER, MASTERS));
    leaf(ca, dir, ADMIN, LeafSpec.client(ADMIN_USER, MASTERS));
    leaf(ca, dir, CONTROLLER_MANAGER, LeafSpec.client(CONTROLLER_MANAGER_USER));
    leaf(ca, dir, SCHEDULER, LeafSpec.client(SCHEDULER_USER));
    leaf(ca, dir, KUBE_PROXY, LeafSpec.client(KUBE_PROXY_USER));
    SubjectNames etcdNames = SubjectNames.of(List.of("localhost", "127.0.0.1")).plus(extra);
    Path etcd = dir.resolve(ETCD_DIR);
    leaf(etcdCa, etcd, ETCD_SERVER, LeafSpec.server("etcd-server", etcdNames).withClientAuth());
    leaf(etcdCa, etcd, ETCD_PEER, LeafSpec.server("etcd-peer", etcdNames).withClientAuth());
    leaf(etcdCa, dir, APISERVER_ETCD_CLIENT, LeafSpec.client(APISERVER_ETCD_CLIENT_USER));
  }

  /**
   * A node's certificate, {@code node-NAME}: its kubelet's identity toward the api-server
   * ({@code system:node:NAME} in {@code system:nodes}) and its logs/exec endpoint's serving
   * certificate for {@code addresses}, which the api-server checks (the node's InternalIP).
   */
  public Path node(String name, Collection<String> addresses) throws IOException {
    if (!name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
      throw new IllegalArgumentException("node name \"" + name + "\" is not a DNS-1123 subdomain");
    }
    Credential ca = readCa();
    List<String> names = new ArrayList<>(List.of(name));
    names.addAll(addresses);
    leaf(ca, dir, nodeFile(name), LeafSpec.server(NODE_PREFIX + name, SubjectNames.of(names)).withClientAuth(NODES));
    return PemFiles.certFile(dir, nodeFile(name));
  }

  /** A client certificate {@code users/NAME} for a person or program: user {@code name} in {@code groups}. */
  public Path user(String name, Collection<String> groups) throws IOException {
    if (!name.matches("[A-Za-z0-9][-A-Za-z0-9_.@:]*")) {
      throw new IllegalArgumentException("user name \"" + name + "\" may hold only letters, digits and - _ . @ :");
    }
    if (name.startsWith(NODE_PREFIX) || groups.contains(NODES)) {
      throw new IllegalArgumentException("a node's certificate is made by `mkctl pki node NAME`, not as a user");
    }
    Credential ca = readCa();
    leaf(ca, dir.resolve("users"), name, LeafSpec.client(name, groups.toArray(String[]::new)));
    return PemFiles.certFile(dir.resolve("users"), name);
  }

  private Credential readCa() throws IOException {
    if (!PemFiles.exists(dir, CA)) {
      throw new IOException("no cluster CA in " + dir + ": run `mkctl pki init --dir " + dir + "` first");
    }
    return PemFiles.read(dir, CA);
  }

  public Path caFile() {
    return PemFiles.certFile(dir, CA);
  }

  /** The api-server's serving TLS (apiserver.crt), callers' certificates checked against the cluster CA. */
  public ServingTls apiServerTls() {
    return new ServingTls(PemFiles.certFile(dir, APISERVER), PemFiles.keyFile(dir, APISERVER), caFile());
  }

  /** Mutual TLS toward the api-server (or a kubelet) with the certificate {@code name} ({@link #ADMIN}, {@link #nodeFile}...). */
  public ClientTls clientTls(String name) {
    return ClientTls.mutual(caFile(), PemFiles.certFile(dir, name), PemFiles.keyFile(dir, name));
  }

  public static String nodeFile(String node) {
    return "node-" + node;
  }

  private Credential ca(Path in, String name, String commonName) throws IOException {
    if (PemFiles.exists(in, name)) {
      return PemFiles.read(in, name);
    }
    Credential ca = Certificates.newCa(commonName, clock.instant());
    PemFiles.write(in, name, ca);
    report.accept("created " + PemFiles.certFile(in, name) + " (CA " + commonName + ", until "
        + ca.certificate().getNotAfter().toInstant() + ")");
    return ca;
  }

  Outcome leaf(Credential ca, Path in, String name, LeafSpec spec) throws IOException {
    Instant now = clock.instant();
    Outcome outcome = Outcome.CREATED;
    if (PemFiles.exists(in, name)) {
      X509Certificate have = PemFiles.readCertificate(PemFiles.certFile(in, name));
      String why = staleness(have, ca.certificate(), spec, now);
      if (why == null) {
        return Outcome.KEPT;
      }
      outcome = Outcome.RENEWED;
      report.accept("renewing " + PemFiles.certFile(in, name) + ": " + why);
    }
    Credential leaf = Certificates.issue(ca, spec, now);
    PemFiles.write(in, name, leaf);
    if (outcome == Outcome.CREATED) {
      report.accept("created " + PemFiles.certFile(in, name) + " (" + spec.commonName() + ")");
    }
    return outcome;
  }

  /** Why a leaf on disk must be made again, or null when it is good. */
  private static String staleness(X509Certificate have, X509Certificate ca, LeafSpec spec, Instant now) {
    if (!Certificates.signedBy(have, ca)) {
      return "not signed by the current CA";
    }
    if (have.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
      return "expires " + have.getNotAfter().toInstant() + ", within " + RENEW_BEFORE.toDays() + " days";
    }
    try {
      if (!X509Names.subjectNames(have).covers(new SubjectNames(spec.dnsNames(), spec.ipAddresses()))) {
        return "it lacks some of " + spec.dnsNames() + " " + spec.ipAddresses();
      }
    } catch (CertificateParsingException e) {
      return "its names cannot be read (" + e.getMessage() + ")";
    }
    return null;
  }
}
