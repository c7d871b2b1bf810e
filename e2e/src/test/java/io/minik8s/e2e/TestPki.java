package io.minik8s.e2e;

import io.minik8s.client.pki.ClusterPki;
import io.minik8s.client.tls.ClientTls;
import io.minik8s.client.tls.ServingTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The cluster PKI of this test JVM, made once in a temporary directory by the same code as
 * {@code mkctl pki init} ({@link ClusterPki}): every fixture serves and calls with it, so each
 * test runs with mutual TLS and each component with its own identity, as a real cluster does.
 */
final class TestPki {
  private static TestPki shared;

  final ClusterPki pki;

  private TestPki(Path dir) throws IOException {
    this.pki = new ClusterPki(dir, Clock.systemUTC(), line -> { });
    pki.init(List.of());
  }

  static synchronized TestPki shared() {
    if (shared == null) {
      try {
        shared = new TestPki(Files.createTempDirectory("minik8s-pki-"));
      } catch (IOException e) {
        throw new UncheckedIOException("could not make the test PKI", e);
      }
    }
    return shared;
  }

  Path dir() {
    return pki.dir();
  }

  Path ca() {
    return pki.caFile();
  }

  ServingTls apiServer() {
    return pki.apiServerTls();
  }

  /** TLS that checks the api-server's certificate and shows none of its own. */
  ClientTls serverOnly() {
    return ClientTls.serverOnly(pki.caFile());
  }

  ClientTls admin() {
    return pki.clientTls(ClusterPki.ADMIN);
  }

  ClientTls kubeletClient() {
    return pki.clientTls(ClusterPki.APISERVER_KUBELET_CLIENT);
  }

  ClientTls controllerManager() {
    return pki.clientTls(ClusterPki.CONTROLLER_MANAGER);
  }

  ClientTls scheduler() {
    return pki.clientTls(ClusterPki.SCHEDULER);
  }

  ClientTls kubeProxy() {
    return pki.clientTls(ClusterPki.KUBE_PROXY);
  }

  /** Node {@code name}'s certificate (kubelet identity, and serving 127.0.0.1), made on first use. */
  synchronized ClientTls node(String name) {
    try {
      pki.node(name, List.of("127.0.0.1"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pki.clientTls(ClusterPki.nodeFile(name));
  }

  /** A component's flags to reach the api-server as {@code tls} says. */
  static List<String> componentFlags(ClientTls tls) {
    return List.of("--ca-file", tls.caFile().toString(), "--cert-file", tls.certFile().toString(),
        "--key-file", tls.keyFile().toString());
  }

}
