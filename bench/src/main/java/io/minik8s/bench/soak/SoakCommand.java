package io.minik8s.bench.soak;

import io.minik8s.api.Pod;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/minik8s soak --minutes N}: faults under load against a running {@code bin/minik8s up}
 * cluster. Phases: set-up (a namespace of its own, a Service, Deployments, all Ready), load
 * (steady churn, HTTP traffic through the Service, the fault schedule), convergence (churn and
 * faults stopped, every Deployment must settle), checks. It prints one line per phase and per
 * fault as it goes, then the faults and the invariants as tables, and exits 1 if an invariant broke.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
    description = "Churn, HTTP traffic through a Service and a fault schedule (SIGKILL and restart of an etcd member, "
        + "an api-server when there are several, the controller-manager and scheduler leaders, a kubelet, a kube-proxy) "
        + "against a running bin/minik8s cluster; checks that no acknowledged write is lost, a pod watch sees every "
        + "change once and in order, no ReplicaSet exceeds replicas + maxSurge, every Deployment converges and no "
        + "container outlives its pod. Exit code 1 if an invariant broke, 2 if the soak could not run.")
public final class SoakCommand implements Callable<Integer> {
  @Option(names = "--minutes", defaultValue = "10", description = "Minutes of load and faults, 0.5-1440 (default ${DEFAULT-VALUE}).")
  double minutes;

  @Option(names = "--home", required = true, description = "The cluster's MINIK8S_HOME: its pid files (bin/minik8s passes it).")
  Path home;

  @Option(names = "--minik8s", required = true, description = "bin/minik8s, to start a killed component again.")
  String minik8s;

  @Option(names = "--api-servers", defaultValue = "127.0.0.1:6443", description = "host:port[,host:port...] (default ${DEFAULT-VALUE}).")
  String apiServers;

  @picocli.CommandLine.Mixin
  io.minik8s.client.component.ClientTlsFlags tls; // bin/minik8s soak passes the admin's certificate

  @Option(names = "--etcd-endpoints", required = true, description = "host:port,... of the etcd members, in member order.")
  String etcdEndpoints;

  @Option(names = "--nodes", defaultValue = "", description = "The cluster's node names, comma-separated.")
  String nodes;

  @Option(names = "--deployments", defaultValue = "3", description = "Deployments behind the Service, 1-20 (default ${DEFAULT-VALUE}).")
  int deployments;

  @Option(names = "--max-replicas", defaultValue = "4", description = "Replicas a scale picks from, 1..N, N 1-20 (default ${DEFAULT-VALUE}).")
  int maxReplicas;

  @Option(names = "--bare-pods", defaultValue = "5", description = "Bare pods alive at once at most, 0-100 (default ${DEFAULT-VALUE}).")
  int barePods;

  @Option(names = "--pod-changes-per-second", defaultValue = "10",
      description = "Churn pace, 0.1-20 (Kubernetes' steady-state envelope is 20) (default ${DEFAULT-VALUE}).")
  double podChangesPerSecond;

  @Option(names = "--clients", defaultValue = "2", description = "HTTP clients, each one request at a time, 1-8 (default ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--image", defaultValue = "nginx:1.15.4",
      description = "An HTTP server on port 80 (default ${DEFAULT-VALUE}: deploy/images/build-test-images.sh builds it).")
  String image;

  @Option(names = "--converge-timeout", defaultValue = "300", description = "Seconds the Deployments get to converge after the faults (default ${DEFAULT-VALUE}).")
  int convergeTimeoutSeconds;

  @Option(names = "--keep", description = "Leave the soak's namespace and objects in place at the end.")
  boolean keep;

  private final long t0 = System.nanoTime();

  @Override
  public Integer call() {
    validate();
    try {
      return soak();
    } catch (Exception e) {
      say("could not run: " + e);
      e.printStackTrace();
      return 2;
    }
  }

  private int soak() throws Exception {
    List<String> nodeNames = nodes.isBlank() ? List.of() : Arrays.asList(nodes.split(","));
    List<String> etcd = Arrays.asList(etcdEndpoints.split(","));
    int apiCount = apiServers.split(",").length;
    String namespace = "soak-" + LocalTime.now().format(DateTimeFormatter.ofPattern("HHmmss"));
    String loadBefore = loadAverage();
    say("namespace " + namespace + ", " + minutes + " min of load; " + deployments + " Deployments, " + nodeNames.size()
        + " node(s), " + apiCount + " api-server(s), " + etcd.size() + " etcd members; load average " + loadBefore);
    AckLog acks = new AckLog();
    SurgeCheck surge = new SurgeCheck();
    try (ApiClient client = ApiClient.connect(apiServers, tls.tls());
        EtcdHistory history = new EtcdHistory(etcdEndpoints, namespace, surge);
        PodWatch watch = new PodWatch(client, namespace)) {
      Api api = new Api(client);
      Workload workload = new Workload(api, namespace, deployments, maxReplicas, barePods, image, podChangesPerSecond, acks);
      history.start();
      watch.start();
      say("phase set-up: creating the Service and the Deployments");
      String clusterIp = workload.create();
      await("the Deployments Ready and the Service answering at " + clusterIp + ":80", Duration.ofMinutes(4),
          () -> workload.unconverged().isEmpty() && Traffic.get(clusterIp, 80));
      say("phase load: churn at most " + podChangesPerSecond + " pod changes/s, " + clients
          + " HTTP client(s) on " + clusterIp + ":80, faults in turn");
      Traffic traffic = new Traffic(clusterIp, 80, 50);
      traffic.start(clients);
      long loadStart = System.nanoTime();
      long loadEnd = loadStart + (long) (minutes * 60e9);
      java.util.concurrent.atomic.AtomicBoolean loadOver = new java.util.concurrent.atomic.AtomicBoolean();
      Thread churn = Thread.ofPlatform().name("churn").start(() -> {
        try {
          workload.churn(loadOver::get);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
          say("churn stopped early: " + e);
        }
      });
      Faults faults = new Faults(home, minik8s, etcd, apiCount, nodeNames, api, clusterIp);
      List<Faults.Outcome> outcomes = runFaults(faults, traffic, loadStart, loadEnd);
      loadOver.set(true);
      churn.join();
      say(String.format("phase converge: churn stopped after %d operations (%d pod changes, %d failed); waiting for "
          + "the Deployments", workload.operations(), workload.podChanges(), workload.failedOperations()));
      long c0 = System.nanoTime();
      double convergeSeconds = awaitQuietly(Duration.ofSeconds(convergeTimeoutSeconds), () -> workload.unconverged().isEmpty())
          ? (System.nanoTime() - c0) / 1e9 : -1;
      List<String> unconverged = convergeSeconds < 0 ? safeUnconverged(workload) : List.of();
      traffic.close();
      say("phase checks: acknowledged writes against etcd, the pod watch against etcd's history, containers");
      Report report = new Report();
      report.faults(outcomes, traffic);
      checkWrites(report, acks, history);
      checkWatch(report, watch, history, acks);
      checkSurge(report, surge);
      report.invariant("every Deployment converges after the faults", convergeSeconds >= 0,
          convergeSeconds >= 0 ? String.format("%d/%d in %.1f s", deployments, deployments, convergeSeconds)
              : "not within " + convergeTimeoutSeconds + " s: " + unconverged);
      checkOrphans(report, api, namespace, nodeNames);
      String loadAfter = loadAverage();
      System.out.println();
      System.out.printf("soak: %.1f min of load on %s; load average before %s, after %s%n", minutes, namespace, loadBefore, loadAfter);
      System.out.printf("churn: %d operations (%d failed), %d pod changes (%.1f/s); HTTP: %d requests, %d failed (%.2f%%)%n",
          workload.operations(), workload.failedOperations(), workload.podChanges(), workload.podChanges() / (minutes * 60),
          traffic.ok() + traffic.failed(), traffic.failed(), 100.0 * traffic.failed() / Math.max(1, traffic.ok() + traffic.failed()));
      System.out.print(report.render());
      if (!keep) {
        workload.delete();
      }
      return report.broken() ? 1 : 0;
    }
  }

  private void validate() {
    check(minutes >= 0.5 && minutes <= 1440, "--minutes must be 0.5-1440");
    check(deployments >= 1 && deployments <= 20, "--deployments must be 1-20");
    check(maxReplicas >= 1 && maxReplicas <= 20, "--max-replicas must be 1-20");
    check(barePods >= 0 && barePods <= 100, "--bare-pods must be 0-100");
    check(podChangesPerSecond >= 0.1 && podChangesPerSecond <= 20, "--pod-changes-per-second must be 0.1-20");
    check(clients >= 1 && clients <= 8, "--clients must be 1-8");
    check(Files.isDirectory(home), "--home " + home + " is not a directory");
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new SoakCommand()), message);
    }
  }

  /**
   * The fault schedule over the load phase: the faults of a round spread evenly (at least 20 s
   * apart, a fault starting only when the one before has recovered), round after round, none
   * started in the last 10 s. One whole round always runs: on a slow machine the load phase
   * goes on (and says so) until it has.
   */
  private List<Faults.Outcome> runFaults(Faults faults, Traffic traffic, long loadStart, long loadEnd)
      throws InterruptedException {
    List<String> schedule = faults.schedule();
    long spacing = Math.max(20_000_000_000L, (loadEnd - loadStart - 15_000_000_000L) / schedule.size());
    List<Faults.Outcome> outcomes = new ArrayList<>();
    long next = loadStart + 5_000_000_000L;
    boolean extended = false;
    for (int i = 0; i < schedule.size() || next < loadEnd - 10_000_000_000L; i++, next += spacing) {
      if (!extended && next > loadEnd - 10_000_000_000L) {
        extended = true;
        say("the load phase goes on until every fault of the round has run");
      }
      sleepUntil(next);
      String fault = schedule.get(i % schedule.size());
      Faults.Outcome o = faults.run(fault);
      outcomes.add(o);
      long failed = traffic.failedBetween(o.killedAtNanos(), System.nanoTime());
      say(String.format("fault %d: %s: killed %s (pid %d); ready after %.1f s, recovered (%s) after %.1f s; %d requests failed%s",
          i + 1, fault, o.component(), o.pid(), o.readySeconds(), o.recovery(), o.recoveredSeconds(), failed,
          o.error().isEmpty() ? "" : "; ERROR " + o.error()));
      next = Math.max(next, System.nanoTime());
    }
    sleepUntil(loadEnd);
    return outcomes;
  }

  private void checkWrites(Report report, AckLog acks, EtcdHistory history) {
    List<AckLog.Lost> lost = acks.verify(history, Workload::fingerprint);
    report.invariant("no acknowledged write is lost", lost.isEmpty(), String.format(
        "%d acknowledged writes to %d objects, checked in etcd: %d lost; %d in doubt (the call failed, either outcome allowed)%s",
        acks.ackedCount(), acks.objectCount(), lost.size(), acks.inDoubtCount(),
        lost.isEmpty() ? "" : ": " + lost.subList(0, Math.min(5, lost.size()))));
  }

  /**
   * Compares the pod watch with etcd's own history of the namespace's pods: each change after the
   * watch began must have come exactly once and in order, unless a relist stepped over it (counted
   * apart), and every acknowledged pod write must be among them.
   */
  private void checkWatch(Report report, PodWatch watch, EtcdHistory history, AckLog acks) throws Exception {
    long end = history.currentRevision();
    awaitQuietly(Duration.ofSeconds(30), () -> history.lastRevision() >= end);
    long lower = Math.max(watch.startRevision(), history.startRevision());
    List<EtcdHistory.PodChange> changes = history.podChanges().stream()
        .filter(c -> c.revision() > lower && c.revision() <= end).toList();
    long lastChange = changes.stream().mapToLong(EtcdHistory.PodChange::revision).max().orElse(0);
    awaitQuietly(Duration.ofSeconds(60), () -> watch.lastRevision() >= lastChange);
    int missing = 0;
    int skipped = 0;
    List<String> examples = new ArrayList<>();
    for (EtcdHistory.PodChange c : changes) {
      if (watch.saw(c.name(), c.revision())) {
        continue;
      }
      if (watch.inGap(c.revision())) {
        skipped++;
      } else {
        missing++;
        if (examples.size() < 5) {
          examples.add(c.name() + "@" + c.revision() + (c.deleted() ? " (deletion)" : ""));
        }
      }
    }
    java.util.Set<String> inEtcd = new java.util.HashSet<>();
    changes.forEach(c -> inEtcd.add(c.name() + "@" + c.revision()));
    long phantom = watch.seen().stream().filter(k -> {
      long rv = Long.parseLong(k.substring(k.lastIndexOf('@') + 1));
      return rv > lower && rv <= end && !inEtcd.contains(k);
    }).count();
    long unseenAcked = acks.ackedWrites(Resources.PODS).stream()
        .filter(w -> w.revision() > lower && !watch.saw(w.name(), w.revision()) && !watch.inGap(w.revision())).count();
    boolean ok = !history.incomplete() && missing == 0 && phantom == 0 && unseenAcked == 0
        && watch.duplicates() == 0 && watch.outOfOrder() == 0;
    report.invariant("a pod watch sees every change once, in order", ok, String.format(
        "%d events; %d changes in etcd: %d missing, %d not in etcd, %d twice, %d out of order; %d acknowledged pod writes "
            + "unseen; %d resumes, %d relists (skipping %d changes)%s%s",
        watch.events(), changes.size(), missing, phantom, watch.duplicates(), watch.outOfOrder(), unseenAcked,
        watch.resumes(), watch.relists(), skipped, history.incomplete() ? "; etcd's history was compacted: NOT VERIFIED" : "",
        examples.isEmpty() && watch.problems().isEmpty() ? "" : ": " + examples + " " + watch.problems()));
  }

  private static void checkSurge(Report report, SurgeCheck surge) {
    List<SurgeCheck.Violation> v = surge.violations();
    report.invariant("no ReplicaSet has more pods than replicas + maxSurge", v.isEmpty(), String.format(
        "%d samples from the etcd watch (pods at each creation, replicas at each scale; bound: highest replicas of the "
            + "last %d s + maxSurge %d): %d over%s",
        surge.samples(), SurgeCheck.WINDOW_NANOS / 1_000_000_000L, Workload.MAX_SURGE, v.size(),
        v.isEmpty() ? "" : ": " + v.stream().limit(5).map(x -> String.format("at %.0f s %s: %d > %d",
            x.atSeconds(), x.what(), x.count(), x.bound())).toList()));
  }

  private void checkOrphans(Report report, Api api, String namespace, List<String> nodes) throws Exception {
    Orphans.Result[] last = {Orphans.check(api, namespace, nodes)};
    // a kubelet removes a deleted pod's containers on its next sync: give it that time
    awaitQuietly(Duration.ofSeconds(90), () -> {
      try {
        last[0] = Orphans.check(api, namespace, nodes);
        return last[0].orphans().isEmpty();
      } catch (Exception e) {
        return false;
      }
    });
    report.invariant("no container is left for a pod the API does not have", last[0].orphans().isEmpty(), String.format(
        "%d containers of the namespace on Docker: %d orphans%s", last[0].containers(), last[0].orphans().size(),
        last[0].orphans().isEmpty() ? "" : ": " + last[0].orphans().subList(0, Math.min(5, last[0].orphans().size()))));
  }

  private static List<String> safeUnconverged(Workload workload) {
    try {
      return workload.unconverged();
    } catch (RuntimeException e) {
      return List.of("cannot read the Deployments: " + e.getMessage());
    }
  }

  private void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
    if (!awaitQuietly(limit, condition)) {
      throw new IllegalStateException("timed out after " + limit.toSeconds() + " s waiting for " + what);
    }
  }

  /** Polls a condition (an exception counts as not yet) until it holds or the time is up. */
  private static boolean awaitQuietly(Duration limit, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      try {
        if (condition.getAsBoolean()) {
          return true;
        }
      } catch (RuntimeException e) {
        // the cluster may not answer yet
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(500);
    }
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long left = nanos - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    }
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "?";
    }
  }

  private void say(String line) {
    System.out.printf("soak [%6.1fs]: %s%n", (System.nanoTime() - t0) / 1e9, line);
    System.out.flush();
  }
}
