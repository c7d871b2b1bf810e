package io.minik8s.kubelet.network;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.minik8s.api.Node;
import io.minik8s.client.component.SupervisedLoops;
import io.minik8s.client.informer.ResourceEventHandler;
import io.minik8s.client.workqueue.RateLimiter;
import io.minik8s.client.workqueue.WorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod network across hosts, as flannel's host-gw backend does it
 * (flannel's github.com/flannel-io/flannel/pkg/backend/hostgw and
 * github.com/flannel-io/flannel/pkg/ip/iptables.go's MasqRules): every node's pods are on a
 * bridge with the node's pod CIDR, and this agent keeps, on its own host, a route to every other
 * node's pod CIDR via that node's InternalIP. Pods then reach pods of other hosts by their IPs and
 * see each other's real addresses: the pod bridge does not masquerade, and one rule masquerades
 * only what leaves the cluster CIDR (flannel's ip-masq). A second rule lets routed traffic into
 * the pod bridge (Docker drops forwarded packets into its bridges otherwise).
 *
 * <p>It lives in the kubelet, not the kube-proxy: the kubelet creates the pod bridge and knows its
 * subnet, which the forward and masquerade rules name, and a node whose pod network does not work
 * is the kubelet's to report (Kubernetes' kubelet reports NetworkPluginNotReady the same way).
 *
 * <p>Every change of a Node's pod CIDR or addresses, and a resync every 10 s (flannel's route
 * check, which puts back a route deleted by hand), queue one level-triggered pass, as
 * kube-proxy's syncProxyRules is one pass over everything: it reads the host's routes, plans
 * ({@link RoutePlan}), removes the routes of its own ({@code proto 77}) that no node wants any
 * more (node deleted, CIDR or address changed, also those left from before a restart), adds the
 * missing ones and checks its two rules. A pass that could not do everything records an Event on
 * the node concerned (once per distinct reason) and is retried after a backoff.
 */
public final class HostGwAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HostGwAgent.class);
  /** The {@code proto} of this agent's routes: it never removes a route without it. */
  public static final String ROUTE_PROTOCOL = "77";
  static final String LOOP = "pod-network";
  private static final String KEY = "routes";
  private static final Duration STALL_AFTER = Duration.ofSeconds(60);

  /** Records an Event about a Node. */
  @FunctionalInterface
  public interface Recorder {
    void event(Node node, String type, String reason, String message);
  }

  private final String self;
  private final String podSubnet;
  private final String clusterCidr;
  private final HostNetwork host;
  private final Supplier<List<Node>> nodes;
  private final Recorder recorder;
  private final SupervisedLoops loops;
  private final Clock clock;
  private final WorkQueue<String> queue;
  private final Counter failedPasses;
  private final AtomicInteger routeCount = new AtomicInteger();
  private final AtomicInteger problemCount = new AtomicInteger();
  /** The last reason reported per node (or rule), so a retry does not repeat the same Event. */
  private final Map<String, String> reported = new HashMap<>();
  private volatile Instant lastPassEnded;
  private volatile boolean closed;
  private volatile Thread worker;

  /**
   * @param podSubnet this node's pod bridge subnet (the rules name it; empty: no rules)
   * @param clusterCidr the pod CIDRs' whole range; traffic to it is not masqueraded (empty: no masquerading rule)
   */
  public HostGwAgent(String self, String podSubnet, String clusterCidr, HostNetwork host, Supplier<List<Node>> nodes,
      Recorder recorder, MeterRegistry registry, SupervisedLoops loops, Clock clock, Duration retryBase, Duration retryMax) {
    this.self = self;
    this.podSubnet = podSubnet;
    this.clusterCidr = clusterCidr;
    this.host = host;
    this.nodes = nodes;
    this.recorder = recorder;
    this.loops = loops;
    this.clock = clock;
    this.queue = new WorkQueue<>(new RateLimiter<>(retryBase, retryMax, 10, 100, clock), LOOP);
    this.lastPassEnded = clock.instant();
    this.failedPasses = Counter.builder("pod_network_sync_failures_total")
        .description("Passes of the pod-network agent that left a route or rule not set (retried)").register(registry);
    Gauge.builder("pod_network_routes", routeCount, AtomicInteger::get)
        .description("Routes to other nodes' pod CIDRs this agent keeps").register(registry);
    Gauge.builder("pod_network_problem_nodes", problemCount, AtomicInteger::get)
        .description("Nodes that get no route because their pod CIDR or address is bad").register(registry);
  }

  /** The rule that lets forwarded traffic into this node's pod bridge ({@code DOCKER-USER} is evaluated first). */
  public static IptablesRule forwardRule(String podSubnet) {
    return new IptablesRule("filter", "DOCKER-USER", true, List.of("-d", podSubnet, "-j", "ACCEPT"));
  }

  /** The rule that masquerades pod traffic leaving the cluster CIDR (flannel's ip-masq). */
  public static IptablesRule masqueradeRule(String podSubnet, String clusterCidr) {
    return new IptablesRule("nat", "POSTROUTING", false, List.of("-s", podSubnet, "!", "-d", clusterCidr,
        "-m", "comment", "--comment", "minik8s pod traffic leaving the cluster", "-j", "MASQUERADE"));
  }

  /** A node's rules: none without a pod subnet, no masquerading without a cluster CIDR. */
  public static List<IptablesRule> rules(String podSubnet, String clusterCidr) {
    List<IptablesRule> rules = new ArrayList<>();
    if (!podSubnet.isEmpty()) {
      rules.add(forwardRule(podSubnet));
      if (!clusterCidr.isEmpty()) {
        rules.add(masqueradeRule(podSubnet, clusterCidr));
      }
    }
    return rules;
  }

  /**
   * Takes a node's rules off, for tearing the node down for good (they stay when the kubelet
   * stops, as its pods and their network do). Its routes are the other hosts' to remove, when
   * its Node is deleted.
   */
  public static void removeRules(HostNetwork host, String podSubnet, String clusterCidr) {
    rules(podSubnet, clusterCidr).forEach(host::deleteRule);
  }

  /** Queues a pass on every change that could move a route: a pod CIDR or an address. */
  public ResourceEventHandler<Node> handler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Node node) {
        resync();
      }

      @Override
      public void onUpdate(Node old, Node node) {
        if (!old.getSpec().getPodCidr().equals(node.getSpec().getPodCidr())
            || !old.getStatus().getAddressesList().equals(node.getStatus().getAddressesList())) {
          resync();
        }
      }

      @Override
      public void onDelete(Node node) {
        resync();
      }
    };
  }

  /** Queues a pass. */
  public void resync() {
    queue.add(KEY);
  }

  /** Starts the worker and queues the first pass; call once the Node cache has synced. */
  public synchronized void start() {
    worker = Thread.ofPlatform().daemon().name("pod-network-agent").start(this::work);
    resync();
  }

  private void work() {
    while (true) {
      Optional<String> key;
      try {
        key = queue.get();
      } catch (InterruptedException e) {
        return;
      }
      if (key.isEmpty() || closed) {
        return;
      }
      boolean[] done = {false};
      // Supervised: anything unexpected thrown by a pass is logged and counted, and the worker goes on.
      loops.runPass(LOOP, () -> done[0] = sync());
      if (done[0]) {
        queue.forget(KEY);
      } else {
        failedPasses.increment();
        queue.addRateLimited(KEY);
      }
      queue.done(KEY);
      lastPassEnded = clock.instant();
    }
  }

  /** Alive, and a pass ended lately (the resync queues one every 10 s). */
  public boolean healthy() {
    Thread w = worker;
    return w != null && w.isAlive() && Duration.between(lastPassEnded, clock.instant()).compareTo(STALL_AFTER) <= 0;
  }

  /** One pass over every node: true if every route and rule is in place. */
  boolean sync() {
    List<Node> all = nodes.get();
    Map<String, Node> byName = new HashMap<>();
    all.forEach(n -> byName.put(n.getMetadata().getName(), n));
    List<Route> current = host.routes();
    RoutePlan plan = RoutePlan.of(self, all, current, host.addresses());
    plan.problems().forEach((node, p) -> report(byName.get(node), node, p.reason(), p.message()));
    plan.servedHere().forEach((node, why) -> report(null, node, "", "no route to node " + node + ": " + why));
    boolean ok = true;
    for (Route r : current) {
      boolean wanted = plan.routes().stream()
          .anyMatch(w -> w.podCidr().equals(r.destination()) && w.gateway().equals(r.gateway()));
      if (r.ours() && !wanted) {
        ok &= removeRoute(r);
      }
    }
    int routes = 0;
    for (RoutePlan.Wanted w : plan.routes()) {
      boolean present = current.stream().anyMatch(r -> r.ours() && r.destination().equals(w.podCidr())
          && r.gateway().equals(w.gateway()));
      if (present || addRoute(w, byName.get(w.node()))) {
        routes++;
        report(null, w.node(), "", "route to node " + w.node() + "'s pod CIDR " + w.podCidr() + " via " + w.gateway());
      } else {
        ok = false;
      }
    }
    for (IptablesRule rule : rules(podSubnet, clusterCidr)) {
      ok &= ensureRule(rule, byName.get(self));
    }
    routeCount.set(routes);
    problemCount.set(plan.problems().size());
    reported.keySet().removeIf(node -> !node.startsWith("rule ") && !byName.containsKey(node));
    return ok;
  }

  private boolean addRoute(RoutePlan.Wanted w, Node node) {
    try {
      host.replaceRoute(w.podCidr(), w.gateway());
      return true;
    } catch (RuntimeException e) {
      report(node, w.node(), "FailedToSetRoute", "could not route node " + w.node() + "'s pod CIDR " + w.podCidr()
          + " via " + w.gateway() + " (retrying): " + e.getMessage());
      return false;
    }
  }

  private boolean removeRoute(Route r) {
    try {
      host.deleteRoute(r.destination(), r.gateway());
      log.info("removed the route to {} via {}: no node has that pod CIDR and address any more", r.destination(), r.gateway());
      return true;
    } catch (RuntimeException e) {
      log.warn("could not remove the route to {} via {} (retrying): {}", r.destination(), r.gateway(), e.getMessage());
      return false;
    }
  }

  private boolean ensureRule(IptablesRule rule, Node selfNode) {
    try {
      host.ensureRule(rule);
      report(null, "rule " + rule, "", "iptables rule in place: " + rule);
      return true;
    } catch (RuntimeException e) {
      report(selfNode, "rule " + rule, "FailedToSetRule", "could not add iptables rule " + rule + " (retrying): " + e.getMessage());
      return false;
    }
  }

  /**
   * Logs (and for a problem, records an Event on the node) when what is known about a node
   * changed since the last pass: a retry that fails the same way stays quiet.
   */
  private void report(Node node, String key, String reason, String message) {
    if (message.equals(reported.put(key, message))) {
      return;
    }
    if (reason.isEmpty()) {
      log.info("{}", message);
      return;
    }
    log.warn("{}: {}", reason, message);
    if (node != null) {
      recorder.event(node, "Warning", reason, message);
    }
  }

  /**
   * Stops the worker, and waits for a pass in progress to end: one still running after the
   * kubelet stopped could add a rule back after whoever tears the node down took it off.
   */
  @Override
  public void close() {
    closed = true;
    queue.shutDown();
    Thread w;
    synchronized (this) {
      w = worker;
    }
    if (w != null) {
      try {
        w.join(Duration.ofSeconds(30).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
