package io.minik8s.bench;

import io.minik8s.apiserver.ApiServer;
import io.minik8s.client.pki.ClusterPki;
import io.minik8s.client.tls.ClientTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A throwaway cluster PKI for one benchmark run, so that it measures the cluster as it runs: over mutual TLS. */
final class BenchPki {
  private BenchPki() {}

  /** A new PKI in a temporary directory, removed by {@code cleanup}. */
  static ClusterPki create(Cleanup cleanup) throws IOException {
    Path dir = Files.createTempDirectory("minik8s-bench-pki-");
    cleanup.add("PKI " + dir, () -> {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    });
    ClusterPki pki = new ClusterPki(dir, Clock.systemUTC(), line -> { });
    pki.init(List.of());
    return pki;
  }

  /** An api-server on free ports serving mutual TLS with this PKI. */
  static ApiServer.Config apiServer(ClusterPki pki, List<String> etcd) {
    return ApiServer.Config.builder(etcd).ports(0, 0).tls(pki.apiServerTls())
        .kubeletClientTls(pki.clientTls(ClusterPki.APISERVER_KUBELET_CLIENT)).build();
  }

  /** Node {@code name}'s certificate, serving 127.0.0.1. */
  static ClientTls node(ClusterPki pki, String name) {
    try {
      pki.node(name, List.of("127.0.0.1"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pki.clientTls(ClusterPki.nodeFile(name));
  }
}
