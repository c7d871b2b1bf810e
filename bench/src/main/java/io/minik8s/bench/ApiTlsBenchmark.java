package io.minik8s.bench;

import io.minik8s.api.Container;
import io.minik8s.api.Namespace;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.apiserver.ApiServer;
import io.minik8s.client.ApiClient;
import io.minik8s.client.pki.ClusterPki;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/bench-api-tls}: what mutual TLS costs the API. One three-member etcd, and two
 * api-servers on it in the same JVM, one serving mutual TLS (the default) and one plain text
 * ({@code --insecure-plaintext}); rounds of pod creates with {@code --clients} in flight go to
 * each in turn (plain, TLS, plain, TLS...), after a warm-up round each, so that both see the same
 * etcd, JIT and machine load. Prints creates/s and p50/p99 latency of each, the TLS/plain ratio
 * of throughput, and the machine's load average before and after.
 */
@Command(name = "bench-api-tls", mixinStandardHelpOptions = true,
    description = "API write throughput and p99 latency over mutual TLS against plain text, in one run.")
public final class ApiTlsBenchmark implements Callable<Integer> {
  @Option(names = "--creates", defaultValue = "2000", description = "Pod creates per round (default ${DEFAULT-VALUE}).")
  int creates;

  @Option(names = "--rounds", defaultValue = "3", description = "Measured rounds per mode (default ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--clients", defaultValue = "16", description = "Creates in flight (default ${DEFAULT-VALUE}).")
  int clients;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ApiTlsBenchmark()).execute(args));
  }

  private record Round(double perSecond, double p50Millis, double p99Millis) {}

  @Override
  public Integer call() throws Exception {
    if (creates < 1 || rounds < 1 || clients < 1 || clients > 1024) {
      throw new CommandLine.ParameterException(new CommandLine(this), "need --creates >= 1, --rounds >= 1, 1 <= --clients <= 1024");
    }
    String loadBefore = load();
    try (Cleanup cleanup = new Cleanup()) {
      say("starting a 3-member etcd cluster and two api-servers on it: mutual TLS, and plain text");
      LocalEtcd etcd = cleanup.add("etcd", new LocalEtcd(3));
      ClusterPki pki = BenchPki.create(cleanup);
      ApiServer tlsServer = cleanup.add("api-server (TLS)", ApiServer.start(BenchPki.apiServer(pki, etcd.endpoints())));
      ApiServer plainServer = cleanup.add("api-server (plain)", ApiServer.start(
          ApiServer.Config.builder(etcd.endpoints()).ports(0, 0).insecurePlaintext().build()));
      ApiClient tls = cleanup.add("TLS client", ApiClient.connect("127.0.0.1:" + tlsServer.port(), pki.clientTls(ClusterPki.ADMIN)));
      ApiClient plain = cleanup.add("plain client", ApiClient.connect("127.0.0.1:" + plainServer.port()));
      tls.create(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("bench-tls")).build());
      List<Round> tlsRounds = new ArrayList<>();
      List<Round> plainRounds = new ArrayList<>();
      AtomicInteger seq = new AtomicInteger();
      say("warm-up: " + creates + " creates each");
      round(plain, seq);
      round(tls, seq);
      for (int r = 1; r <= rounds; r++) {
        plainRounds.add(report("plain text", r, round(plain, seq)));
        tlsRounds.add(report("mutual TLS", r, round(tls, seq)));
      }
      Round p = median(plainRounds);
      Round t = median(tlsRounds);
      say(String.format("median of %d rounds, %d creates each, %d in flight:", rounds, creates, clients));
      say(String.format("  plain text: %7.1f creates/s, p50 %6.2f ms, p99 %6.2f ms", p.perSecond, p.p50Millis, p.p99Millis));
      say(String.format("  mutual TLS: %7.1f creates/s, p50 %6.2f ms, p99 %6.2f ms", t.perSecond, t.p50Millis, t.p99Millis));
      say(String.format("  TLS/plain throughput ratio %.2f, p99 ratio %.2f", t.perSecond / p.perSecond, t.p99Millis / p.p99Millis));
      say("machine: " + Runtime.getRuntime().availableProcessors() + " CPUs; load average before " + loadBefore
          + ", after " + load());
    }
    return 0;
  }

  /** {@link #creates} pod creates with {@link #clients} in flight; throughput and latency percentiles. */
  private Round round(ApiClient client, AtomicInteger seq) throws Exception {
    long[] latencies = new long[creates];
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> workers = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        workers.add(pool.submit(() -> {
          for (int i; (i = next.getAndIncrement()) < creates; ) {
            long t0 = System.nanoTime();
            client.blocking(30, TimeUnit.SECONDS).create(io.minik8s.api.CreateRequest.newBuilder()
                .setObject(io.minik8s.client.api.KubeObjects.wrap(pod("p-" + seq.incrementAndGet()))).build());
            latencies[i] = System.nanoTime() - t0;
          }
          return null;
        }));
      }
      for (Future<?> w : workers) {
        w.get(10, TimeUnit.MINUTES);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Arrays.sort(latencies);
    return new Round(creates / seconds, latencies[creates / 2] / 1e6, latencies[(int) Math.min(creates - 1, Math.ceil(creates * 0.99) - 1)] / 1e6);
  }

  private static Pod pod(String name) {
    Pod.Builder b = Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace("bench-tls").setName(name)
        .putLabels("app", "bench"));
    b.getSpecBuilder().setNodeName("nowhere").addContainers(Container.newBuilder().setName("app").setImage("busybox:1.36"));
    return b.build();
  }

  private static Round report(String mode, int r, Round x) {
    say(String.format("round %d %-10s: %7.1f creates/s, p50 %6.2f ms, p99 %6.2f ms", r, mode, x.perSecond, x.p50Millis, x.p99Millis));
    return x;
  }

  private static Round median(List<Round> rounds) {
    List<Round> byRate = new ArrayList<>(rounds);
    byRate.sort((a, b) -> Double.compare(a.perSecond, b.perSecond));
    double[] p99 = rounds.stream().mapToDouble(Round::p99Millis).sorted().toArray();
    double[] p50 = rounds.stream().mapToDouble(Round::p50Millis).sorted().toArray();
    return new Round(byRate.get(byRate.size() / 2).perSecond, p50[p50.length / 2], p99[p99.length / 2]);
  }

  private static String load() {
    try {
      return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
    } catch (Exception e) {
      return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private static void say(String line) {
    System.out.println("bench-api-tls: " + line);
    System.out.flush();
  }
}
