package io.minik8s.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.minik8s.api.Container;
import io.minik8s.api.Namespace;
import io.minik8s.api.Node;
import io.minik8s.api.NodeCondition;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.ResourceRequirements;
import io.minik8s.apiserver.ApiServer;
import io.minik8s.client.ApiClient;
import io.minik8s.client.pki.ClusterPki;
import io.minik8s.client.api.Resources;
import io.minik8s.client.informer.Informer;
import io.minik8s.client.informer.ResourceEventHandler;
import io.minik8s.scheduler.SchedulerServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/bench-scheduler}: how many pods a second the scheduler places end to end through
 * the api-server and a three-member etcd, against the raw etcd write rate on the same cluster.
 * For each node count: register the nodes, create the pods with no scheduler running, then start
 * the scheduler and time until every pod is bound (informer sync, filter, score, bind, events).
 * Every loop is bounded by a count and by --timeout.
 */
@Command(name = "bench-scheduler", mixinStandardHelpOptions = true,
    description = "Pods scheduled per second onto M registered nodes, with the raw etcd put rate as baseline.")
public final class SchedulerBenchmark implements Callable<Integer> {
  @Option(names = "--pods", defaultValue = "1000", description = "Pods per round (default ${DEFAULT-VALUE}).")
  int pods;

  @Option(names = "--nodes", defaultValue = "100,1000", split = ",", description = "Node counts, one round each (default ${DEFAULT-VALUE}).")
  List<Integer> nodeCounts;

  @Option(names = "--timeout", defaultValue = "300", description = "Seconds a round may take at most (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--clients", defaultValue = "32", description = "Concurrent creates/puts (default ${DEFAULT-VALUE}).")
  int clients;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SchedulerBenchmark()).execute(args));
  }

  private ClusterPki pki;

  @Override
  public Integer call() throws Exception {
    say("starting a 3-member etcd cluster and the api-server");
    try (Cleanup cleanup = new Cleanup();
         LocalEtcd etcd = new LocalEtcd(3);
         ApiServer api = ApiServer.start(BenchPki.apiServer(pki = BenchPki.create(cleanup), etcd.endpoints()));
         ApiClient client = ApiClient.connect("127.0.0.1:" + api.port(), pki.clientTls(ClusterPki.ADMIN))) {
      double putRate = etcdPutRate(etcd.endpoints(), samplePod("sample", "ns", "x").toByteArray().length);
      List<String> results = new ArrayList<>();
      for (int round = 0; round < nodeCounts.size(); round++) {
        int m = nodeCounts.get(round);
        double rate = round(client, api.port(), "r" + round, m);
        results.add(String.format("%5d pods onto %5d nodes: %7.1f pods/s scheduled end to end; etcd raw puts %7.1f/s; ratio %.2f",
            pods, m, rate, putRate, rate / putRate));
      }
      say("results (each scheduled pod costs 2 etcd writes: the binding and the Scheduled event):");
      results.forEach(SchedulerBenchmark::say);
    }
    return 0;
  }

  /** Sequentially issued, {@code clients}-wide concurrent puts of pod-sized values to the same etcd. */
  private double etcdPutRate(List<String> endpoints, int valueSize) throws Exception {
    int n = Math.max(pods, 2000);
    say("etcd baseline: " + n + " puts of " + valueSize + " bytes, " + clients + " in flight");
    String[] urls = endpoints.stream().map(e -> "http://" + e).toArray(String[]::new);
    try (Client etcd = Client.builder().endpoints(urls).build()) {
      ByteSequence value = ByteSequence.from(new byte[valueSize]);
      Semaphore inFlight = new Semaphore(clients);
      List<CompletableFuture<?>> all = new ArrayList<>(n);
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        if (!inFlight.tryAcquire(timeoutSeconds, TimeUnit.SECONDS)) {
          throw new IllegalStateException("etcd put timed out");
        }
        ByteSequence key = ByteSequence.from("/bench/put/" + i, StandardCharsets.UTF_8);
        all.add(etcd.getKVClient().put(key, value).whenComplete((r, t) -> inFlight.release()));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(timeoutSeconds, TimeUnit.SECONDS);
      double rate = n / seconds(start);
      say(String.format("etcd baseline: %.1f puts/s", rate));
      return rate;
    }
  }

  private double round(ApiClient client, int apiPort, String tag, int nodeCount) throws Exception {
    String ns = "bench-" + tag;
    client.create(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(ns)).build());
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      long start = System.nanoTime();
      runAll(pool, nodeCount, i -> client.create(node(tag + "-node-" + i, tag)));
      say(String.format("[%s] registered %d nodes in %.1fs", tag, nodeCount, seconds(start)));
      start = System.nanoTime();
      runAll(pool, pods, i -> client.create(samplePod("pod-" + i, ns, tag)));
      say(String.format("[%s] created %d pending pods in %.1fs (%.1f creates/s)", tag, pods, seconds(start), pods / seconds(start)));
    } finally {
      pool.shutdown();
    }
    AtomicInteger bound = new AtomicInteger();
    try (Informer<Pod> watch = new Informer<>(client, Resources.PODS, ns, "", "")) {
      watch.addEventHandler(new ResourceEventHandler<>() {
        @Override
        public void onAdd(Pod p) {
          if (!p.getSpec().getNodeName().isEmpty()) {
            bound.incrementAndGet();
          }
        }

        @Override
        public void onUpdate(Pod old, Pod p) {
          if (old.getSpec().getNodeName().isEmpty() && !p.getSpec().getNodeName().isEmpty()) {
            bound.incrementAndGet();
          }
        }
      });
      watch.start();
      watch.waitForSync(Duration.ofSeconds(timeoutSeconds));
      long start = System.nanoTime();
      try (SchedulerServer scheduler = SchedulerServer.start(SchedulerServer.Config.defaults("127.0.0.1:" + apiPort),
          pki.clientTls(ClusterPki.SCHEDULER))) {
        long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        int last = 0;
        while (bound.get() < pods && System.nanoTime() < deadline) {
          Thread.sleep(1000);
          int now = bound.get();
          say(String.format("[%s] %d/%d bound after %.1fs (%d in the last second)", tag, now, pods, seconds(start), now - last));
          last = now;
        }
        double took = seconds(start);
        if (bound.get() < pods) {
          say(String.format("[%s] TIMEOUT: only %d/%d bound in %ds", tag, bound.get(), pods, timeoutSeconds));
        }
        double rate = bound.get() / took;
        say(String.format("[%s] %d pods bound onto %d nodes in %.2fs: %.1f pods/s", tag, bound.get(), nodeCount, took, rate));
        return rate;
      }
    } finally {
      // the next round's pods must not see this round's nodes
      ExecutorService cleanup = Executors.newFixedThreadPool(clients);
      runAll(cleanup, nodeCount, i -> client.delete(Resources.NODES, "", tag + "-node-" + i));
      cleanup.shutdown();
    }
  }

  private interface Task {
    Object run(int i) throws Exception;
  }

  private void runAll(ExecutorService pool, int n, Task task) throws Exception {
    List<java.util.concurrent.Future<?>> fs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int k = i;
      fs.add(pool.submit(() -> task.run(k)));
    }
    for (java.util.concurrent.Future<?> f : fs) {
      f.get(timeoutSeconds, TimeUnit.SECONDS);
    }
  }

  private static Node node(String name, String tag) {
    Node.Builder b = Node.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(name).putLabels("bench", tag));
    b.getStatusBuilder().putAllocatable("cpu", "32").putAllocatable("memory", "128Gi").putAllocatable("pods", "110")
        .putCapacity("cpu", "32").putCapacity("memory", "128Gi").putCapacity("pods", "110")
        .addConditions(NodeCondition.newBuilder().setType("Ready").setStatus("True"));
    return b.build();
  }

  private static Pod samplePod(String name, String ns, String tag) {
    Pod.Builder b = Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName(name).putLabels("app", "bench"));
    b.getSpecBuilder().putNodeSelector("bench", tag).addContainers(Container.newBuilder().setName("app").setImage("busybox:1.36")
        .setResources(ResourceRequirements.newBuilder().putRequests("cpu", "100m").putRequests("memory", "128Mi")));
    return b.build();
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static void say(String line) {
    System.out.println("bench-scheduler: " + line);
    System.out.flush();
  }
}
