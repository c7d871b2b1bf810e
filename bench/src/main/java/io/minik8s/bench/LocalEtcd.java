package io.minik8s.bench;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A three-member etcd cluster on free loopback ports in a temporary folder, for the benchmark. */
final class LocalEtcd implements AutoCloseable {
  private final Path dir = Files.createTempDirectory("minik8s-bench-etcd-");
  private final List<Process> members = new ArrayList<>();
  private final List<String> endpoints = new ArrayList<>();

  LocalEtcd(int size) throws IOException, InterruptedException {
    int[] client = new int[size];
    int[] peer = new int[size];
    StringBuilder initial = new StringBuilder();
    String token = "bench-" + System.nanoTime(); // one token for all members, or they refuse each other
    for (int i = 0; i < size; i++) {
      client[i] = freePort();
      peer[i] = freePort();
      initial.append(i == 0 ? "" : ",").append("m").append(i).append("=http://127.0.0.1:").append(peer[i]);
    }
    for (int i = 0; i < size; i++) {
      ProcessBuilder pb = new ProcessBuilder("etcd", "--name", "m" + i, "--data-dir", dir.resolve("m" + i).toString(),
          "--listen-client-urls", "http://127.0.0.1:" + client[i], "--advertise-client-urls", "http://127.0.0.1:" + client[i],
          "--listen-peer-urls", "http://127.0.0.1:" + peer[i], "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer[i],
          "--initial-cluster", initial.toString(), "--initial-cluster-state", "new",
          "--initial-cluster-token", token);
      pb.redirectErrorStream(true).redirectOutput(dir.resolve("m" + i + ".log").toFile());
      members.add(pb.start());
      endpoints.add("127.0.0.1:" + client[i]);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (int i = 0; i < size; i++) {
      while (!healthy(client[i])) {
        if (System.nanoTime() > deadline || !members.get(i).isAlive()) {
          members.forEach(Process::destroyForcibly);
          throw new IllegalStateException("etcd member m" + i + " did not become healthy: see " + dir);
        }
        Thread.sleep(100);
      }
    }
  }

  List<String> endpoints() {
    return endpoints;
  }

  private static boolean healthy(int port) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/health").toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(2000);
      return c.getResponseCode() == 200 && new String(c.getInputStream().readAllBytes()).contains("\"health\":\"true\"");
    } catch (IOException e) {
      return false;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    for (Process p : members) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
