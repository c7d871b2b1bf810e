package io.minik8s.bench.soak;

import io.minik8s.api.Lease;
import io.minik8s.api.Node;
import io.minik8s.bench.Shell;
import io.minik8s.client.api.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The fault schedule: in turn, SIGKILL one component of a {@code bin/minik8s up} cluster by the pid
 * in its pid file (the etcd leader, an api-server when there are several, the controller-manager
 * and scheduler holding their Leases, a kubelet, a kube-proxy), start it again with
 * {@code bin/minik8s start NAME} exactly as {@code up} started it, and time two things: until the
 * component answers its health check again (ready), and until the cluster has recovered around it
 * (a quorum of healthy etcd members; a new holder of the Lease; the node Ready with a fresh
 * heartbeat; requests answered through the Service again).
 */
final class Faults {
  /** What one fault did and how long its recovery took; times in seconds, negative when it never came. */
  record Outcome(String fault, String component, long pid, long killedAtNanos, double readySeconds,
      double recoveredSeconds, String recovery, String error) {}

  private static final Duration RECOVERY_LIMIT = Duration.ofMinutes(2);
  /** A JVM start on a 2-core machine shared with builds took up to 150 s (load average 60+). */
  private static final Duration RESTART_LIMIT = Duration.ofMinutes(5);
  /** How long a SIGKILLed process may take to be gone (its memory freed) on such a machine. */
  private static final Duration EXIT_LIMIT = Duration.ofSeconds(60);

  private final Path home;
  private final String minik8s;
  private final List<String> etcdEndpoints;
  private final io.etcd.jetcd.Client etcd;
  private final int apiServers;
  private final List<String> nodes;
  private final Api api;
  private final String clusterIp;
  private final java.util.Map<String, Integer> turns = new java.util.HashMap<>();

  Faults(Path home, String minik8s, List<String> etcdEndpoints, io.etcd.jetcd.Client etcd,
      io.minik8s.client.tls.ClientTls etcdTls, int apiServers, List<String> nodes, Api api, String clusterIp) {
    this.home = home;
    this.minik8s = minik8s;
    // statusMember dials the member given as a URL, with the client's TLS settings
    String scheme = etcdTls.isPlaintext() ? "http://" : "https://";
    this.etcdEndpoints = etcdEndpoints.stream().map(e -> e.contains("://") ? e : scheme + e).toList();
    this.etcd = etcd;
    this.apiServers = apiServers;
    this.nodes = nodes;
    this.api = api;
    this.clusterIp = clusterIp;
  }

  /** The faults of one round, in order; an api-server only when there are several. */
  List<String> schedule() {
    List<String> faults = new ArrayList<>(List.of("etcd leader"));
    if (apiServers > 1) {
      faults.add("api-server");
    }
    faults.addAll(List.of("controller-manager leader", "scheduler leader"));
    if (!nodes.isEmpty()) {
      faults.addAll(List.of("kubelet", "kube-proxy"));
    }
    return faults;
  }

  /** Runs one fault of the schedule, start to recovery (bounded). */
  Outcome run(String fault) {
    long t0 = System.nanoTime();
    String component = "?";
    long pid = -1;
    try {
      // nodes in turn, the kube-proxy's one ahead of the kubelet's: one node loses one of them at a time
      int turn = turns.merge(fault, 1, Integer::sum) - 1 + (fault.equals("kube-proxy") ? 1 : 0);
      String node = nodes.isEmpty() ? "" : nodes.get(turn % nodes.size());
      String lease = fault.startsWith("controller-manager") ? "kube-controller-manager"
          : fault.startsWith("scheduler") ? "kube-scheduler" : null;
      String holder = lease == null ? null : holder(lease);
      component = switch (fault) {
        case "etcd leader" -> "etcd-m" + etcdLeader();
        case "api-server" -> "api-server";
        case "controller-manager leader" -> "controller-manager";
        case "scheduler leader" -> "scheduler";
        case "kubelet" -> "kubelet-" + node;
        case "kube-proxy" -> "kube-proxy-" + node;
        default -> throw new IllegalArgumentException("no fault " + fault);
      };
      pid = kill(component);
      t0 = System.nanoTime();
      Instant killedAt = Instant.now();
      Shell.Result started = Shell.run(RESTART_LIMIT, minik8s, "start", component);
      if (started.exitCode() != 0) {
        return new Outcome(fault, component, pid, t0, -1, -1, "", "restart failed: " + started.out().strip());
      }
      double ready = seconds(t0);
      String recovery;
      BooleanSupplier recovered;
      switch (fault) {
        case "etcd leader" -> {
          recovery = "3 members healthy";
          recovered = () -> etcdEndpoints.stream().allMatch(this::etcdHealthy);
        }
        case "api-server" -> {
          recovery = "/readyz OK";
          recovered = () -> true;
        }
        case "kubelet" -> {
          recovery = "node Ready, fresh heartbeat";
          recovered = () -> nodeHeartbeatAfter(node, killedAt);
        }
        case "kube-proxy" -> {
          recovery = "3 GETs in a row via ClusterIP";
          recovered = () -> Traffic.get(clusterIp, 80) && Traffic.get(clusterIp, 80) && Traffic.get(clusterIp, 80);
        }
        default -> {
          recovery = "new Lease holder";
          recovered = () -> {
            String now = holder(lease);
            return !now.isEmpty() && !now.equals(holder);
          };
        }
      }
      long deadline = System.nanoTime() + RECOVERY_LIMIT.toNanos();
      while (!safely(recovered)) {
        if (System.nanoTime() > deadline) {
          return new Outcome(fault, component, pid, t0, ready, -1, recovery, "not recovered in " + RECOVERY_LIMIT.toSeconds() + " s");
        }
        Thread.sleep(250);
      }
      return new Outcome(fault, component, pid, t0, ready, seconds(t0), recovery, "");
    } catch (Exception e) {
      return new Outcome(fault, component, pid, t0, -1, -1, "", e.toString());
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static boolean safely(BooleanSupplier condition) {
    try {
      return condition.getAsBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** SIGKILL by the pid in the component's pid file; returns the pid once the process is gone. */
  long kill(String component) throws IOException, InterruptedException {
    Path file = home.resolve(component + ".pid");
    long pid = Long.parseLong(Files.readString(file).strip());
    ProcessHandle p = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(component + " (pid " + pid + ") is not running"));
    p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no graceful close
    long deadline = System.nanoTime() + EXIT_LIMIT.toNanos();
    while (p.isAlive()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(component + " (pid " + pid + ") survived SIGKILL for " + EXIT_LIMIT.toSeconds() + " s");
      }
      Thread.sleep(50);
    }
    return pid;
  }

  /**
   * The index of the etcd member that leads, from each member's maintenance status; a member
   * that is slow to answer (a busy machine) is skipped, and the question asked again for 30 s.
   */
  int etcdLeader() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < etcdEndpoints.size(); i++) {
        try {
          io.etcd.jetcd.maintenance.StatusResponse status = etcd.getMaintenanceClient().statusMember(etcdEndpoints.get(i))
              .get(10, java.util.concurrent.TimeUnit.SECONDS);
          if (status.getLeader() == status.getHeader().getMemberId()) {
            return i;
          }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          last = etcdEndpoints.get(i) + ": " + e;
        }
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("no etcd member said it leads within 30 s" + (last.isEmpty() ? "" : "; last error " + last));
  }

  /** Healthy: the member answers its status and knows a leader (etcd's own /health asks the same). */
  private boolean etcdHealthy(String endpoint) {
    try {
      return etcd.getMaintenanceClient().statusMember(endpoint).get(3, java.util.concurrent.TimeUnit.SECONDS).getLeader() != 0;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The identity holding a Lease of kube-system, empty when none does. */
  String holder(String lease) {
    Lease l = api.get(Resources.LEASES, "kube-system", lease);
    return l.getSpec().getHolderIdentity();
  }

  private boolean nodeHeartbeatAfter(String node, Instant after) {
    Node n = api.get(Resources.NODES, "", node);
    return n.getStatus().getConditionsList().stream().anyMatch(c -> c.getType().equals("Ready")
        && c.getStatus().equals("True") && !c.getLastHeartbeatTime().isEmpty()
        && Instant.parse(c.getLastHeartbeatTime()).isAfter(after));
  }
}
