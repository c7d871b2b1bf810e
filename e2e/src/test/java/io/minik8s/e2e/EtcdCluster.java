package io.minik8s.e2e;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real etcd cluster of three members, started from the {@code etcd} binary on free loopback
 * ports with its data in a temporary folder. A missing binary is an error, never a skip. As the
 * bring-ups run it: TLS with client certificates required on the client and the peer ports (the
 * etcd CA of the test PKI, {@link TestPki}), health on a plain metrics port; its clients reach it
 * with {@link #clientTls} (the api-server's etcd client certificate) or {@link #jetcd}.
 */
public final class EtcdCluster implements AutoCloseable {
  private final int size;
  private final Path dataRoot;
  private final int[] clientPorts;
  private final int[] peerPorts;
  private final int[] metricsPorts;
  private final Process[] members;
  private final Path pki; // null: plain text
  private final String token = "minik8s-test-" + System.nanoTime();

  private EtcdCluster(int size, Path pki) throws IOException {
    this.size = size;
    this.pki = pki;
    this.metricsPorts = new int[size];
    this.dataRoot = Files.createTempDirectory("minik8s-etcd-");
    this.clientPorts = new int[size];
    this.peerPorts = new int[size];
    this.members = new Process[size];
    for (int i = 0; i < size; i++) {
      clientPorts[i] = freePort();
      peerPorts[i] = freePort();
      metricsPorts[i] = freePort();
    }
  }

  /** With TLS and client-certificate checks on both ports, from the etcd files of the test PKI. */
  public static EtcdCluster start(int size) throws IOException {
    return start(size, TestPki.shared().dir());
  }

  /** How the api-server reaches these members: the etcd CA and its apiserver-etcd-client certificate. */
  public io.minik8s.client.tls.ClientTls clientTls() {
    return io.minik8s.client.tls.ClientTls.mutual(pki.resolve("etcd/ca.crt"), pki.resolve("apiserver-etcd-client.crt"),
        pki.resolve("apiserver-etcd-client.key"));
  }

  /** A raw jetcd client of these members, as the api-server (tests that read etcd directly). */
  public io.etcd.jetcd.Client jetcd() {
    return io.minik8s.apiserver.storage.EtcdStore.clientBuilder(endpoints(), clientTls()).build();
  }

  private static EtcdCluster start(int size, Path pki) throws IOException {
    requireBinary();
    EtcdCluster c = new EtcdCluster(size, pki);
    for (int i = 0; i < size; i++) {
      c.startMember(i);
    }
    c.awaitHealthy(Duration.ofSeconds(60));
    return c;
  }

  static void requireBinary() {
    boolean found = Stream.of(System.getenv("PATH").split(File.pathSeparator))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, "etcd")));
    if (!found) {
      throw new IllegalStateException(
          "the etcd binary is not on PATH: install it (Debian: apt-get install etcd-server etcd-client)");
    }
  }

  /** {@code 127.0.0.1:P1,127.0.0.1:P2,...}: every member, as the api-server's --etcd-servers takes them. */
  public List<String> endpoints() {
    List<String> out = new ArrayList<>();
    for (int p : clientPorts) {
      out.add("127.0.0.1:" + p);
    }
    return out;
  }

  public void startMember(int i) throws IOException {
    String scheme = pki == null ? "http" : "https";
    StringBuilder initial = new StringBuilder();
    for (int j = 0; j < size; j++) {
      if (j > 0) {
        initial.append(',');
      }
      initial.append("m").append(j).append("=").append(scheme).append("://127.0.0.1:").append(peerPorts[j]);
    }
    Path dir = dataRoot.resolve("m" + i);
    boolean existing = Files.exists(dir);
    List<String> cmd = new ArrayList<>(List.of(
        "etcd",
        "--name", "m" + i,
        "--data-dir", dir.toString(),
        "--listen-client-urls", scheme + "://127.0.0.1:" + clientPorts[i],
        "--advertise-client-urls", scheme + "://127.0.0.1:" + clientPorts[i],
        "--listen-peer-urls", scheme + "://127.0.0.1:" + peerPorts[i],
        "--initial-advertise-peer-urls", scheme + "://127.0.0.1:" + peerPorts[i],
        "--listen-metrics-urls", "http://127.0.0.1:" + metricsPorts[i],
        "--initial-cluster", initial.toString(),
        "--initial-cluster-state", existing ? "existing" : "new",
        "--initial-cluster-token", token,
        "--heartbeat-interval", "50",
        "--election-timeout", "500"));
    if (pki != null) {
      Path etcd = pki.resolve("etcd");
      cmd.addAll(List.of(
          "--trusted-ca-file", etcd.resolve("ca.crt").toString(), "--client-cert-auth",
          "--cert-file", etcd.resolve("server.crt").toString(), "--key-file", etcd.resolve("server.key").toString(),
          "--peer-trusted-ca-file", etcd.resolve("ca.crt").toString(), "--peer-client-cert-auth",
          "--peer-cert-file", etcd.resolve("peer.crt").toString(), "--peer-key-file", etcd.resolve("peer.key").toString()));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectErrorStream(true);
    pb.redirectOutput(dataRoot.resolve("m" + i + ".log").toFile());
    members[i] = pb.start();
  }

  /** Stops one member (SIGTERM, then SIGKILL) and waits until it is gone. */
  public void stopMember(int i) throws InterruptedException {
    Process p = members[i];
    if (p == null) {
      return;
    }
    p.destroy();
    if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
    }
    members[i] = null;
  }

  public void awaitHealthy(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    for (int i = 0; i < size; i++) {
      if (members[i] == null) {
        continue;
      }
      while (!healthy(metricsPorts[i])) {
        if (!members[i].isAlive()) {
          throw new IllegalStateException("etcd member m" + i + " exited: see " + dataRoot.resolve("m" + i + ".log"));
        }
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("etcd member m" + i + " not healthy after " + timeout);
        }
        sleep(100);
      }
    }
  }

  /** The member's plain HTTP port for /health and /metrics (its client port may be TLS). */
  public int metricsPort(int i) {
    return metricsPorts[i];
  }

  public int peerPort(int i) {
    return peerPorts[i];
  }

  private static boolean healthy(int port) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/health").toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(2000);
      String body = new String(c.getInputStream().readAllBytes());
      return c.getResponseCode() == 200 && body.contains("\"health\":\"true\"");
    } catch (IOException e) {
      return false;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws Exception {
    for (int i = 0; i < size; i++) {
      stopMember(i);
    }
    try (Stream<Path> walk = Files.walk(dataRoot)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
