package io.minik8s.scheduler;

import io.minik8s.api.Node;
import io.minik8s.api.Pod;
import io.minik8s.client.ApiClient;
import io.minik8s.client.tls.ClientTls;
import io.minik8s.client.api.Resources;
import io.minik8s.client.component.HealthServer;
import io.minik8s.client.component.SupervisedLoops;
import io.minik8s.client.events.EventRecorder;
import io.minik8s.client.informer.Informer;
import io.minik8s.client.leaderelection.ApiLeaseLock;
import io.minik8s.client.leaderelection.LeaderElector;
import io.minik8s.scheduler.cache.SchedulerCache;
import io.minik8s.scheduler.framework.Framework;
import io.minik8s.scheduler.queue.SchedulingQueue;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running scheduler (kube-scheduler's app.Run): informers on pods and nodes feeding the cache
 * and queue, the health and metrics server, leader election, and — while leading — the
 * scheduling loop. Standbys keep their caches warm so they can take over at once. Tests start
 * it in-process with {@link #start(Config)}; {@link SchedulerMain} starts it from flags.
 */
public final class SchedulerServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SchedulerServer.class);
  private static final Duration ASSUMED_POD_TTL = Duration.ofSeconds(30);
  private static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration SECOND = Duration.ofSeconds(1);

  public record Config(
      String apiServers,
      String schedulerName,
      boolean leaderElect,
      LeaderElector.Config leaderElection,
      String leaseNamespace,
      String leaseName,
      String bindAddress,
      int healthPort,
      Clock clock) {
    /** No leader election, health on a free port: what a test wants. */
    public static Config defaults(String apiServers) {
      return new Config(apiServers, "default-scheduler", false, LeaderElector.Config.defaults(),
          "kube-system", "kube-scheduler", "127.0.0.1", 0, Clock.systemUTC());
    }

    public Config withLeaderElection(boolean on, LeaderElector.Config le) {
      return new Config(apiServers, schedulerName, on, le, leaseNamespace, leaseName, bindAddress, healthPort, clock);
    }
  }

  private final Config config;
  private final String identity;
  private final ApiClient client;
  private final HealthServer health;
  private final Informer<Pod> pods;
  private final Informer<Node> nodes;
  private final SchedulerCache cache;
  private final SchedulingQueue queue;
  private final EventRecorder recorder;
  private final Scheduler scheduler;
  private final ScheduledExecutorService timers;
  private final LeaderElector elector;
  private volatile Runnable onLeadershipLost = () -> {};
  private volatile boolean leading;
  private volatile boolean closing;
  private Thread electorThread;
  private Thread loopThread;

  private SchedulerServer(Config config, ClientTls tls) throws IOException {
    this.config = config;
    this.identity = hostname() + "_" + UUID.randomUUID();
    this.client = ApiClient.connect(config.apiServers(), tls);
    this.health = new HealthServer("scheduler", config.bindAddress(), config.healthPort());
    this.cache = new SchedulerCache(config.clock(), ASSUMED_POD_TTL);
    this.queue = new SchedulingQueue(config.clock());
    this.recorder = new EventRecorder(client, config.schedulerName(), hostname(), config.clock());
    this.pods = new Informer<>(client, Resources.PODS);
    this.nodes = new Informer<>(client, Resources.NODES);
    EventHandlers handlers = new EventHandlers(cache, queue, config.schedulerName());
    pods.addEventHandler(handlers.pods());
    nodes.addEventHandler(handlers.nodes());
    SchedulerMetrics metrics = new SchedulerMetrics(health.metrics(), queue, this::isLeader);
    PodBinder binder = (binding, result) ->
        client.async().withDeadlineAfter(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).bind(binding, result);
    this.scheduler = new Scheduler(binder, cache, queue, Framework.defaults(new Random()), recorder, metrics,
        config.clock(), key -> pods.cache().get(key), health.loops());
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("scheduler-timers").unstarted(r));
    this.elector = config.leaderElect()
        ? new LeaderElector(new ApiLeaseLock(client, config.leaseNamespace(), config.leaseName()), identity,
            config.leaderElection(), callbacks(), config.clock())
        : null;
    health.addHealthCheck("ping", () -> true);
    health.addReadinessCheck("informer-sync", () -> pods.hasSynced() && nodes.hasSynced());
    // ready means able to take part: leading, or standing by with the election running
    health.addReadinessCheck("leader-election", () -> elector == null || (electorThread != null && electorThread.isAlive()));
    // while leading, the scheduling loop's thread must be alive
    health.addReadinessCheck("scheduling-loop", () -> !leading || loopThread == null || loopThread.isAlive());
  }

  public static SchedulerServer start(Config config) throws IOException {
    return start(config, ClientTls.plaintext());
  }

  /** As {@link #start(Config)}, reaching the api-server as {@code tls} says (its certificate: system:kube-scheduler). */
  public static SchedulerServer start(Config config, ClientTls tls) throws IOException {
    SchedulerServer s = new SchedulerServer(config, tls);
    s.run();
    return s;
  }

  private void run() {
    log.info("scheduler {} starting against {} (scheduler name {})", identity, config.apiServers(), config.schedulerName());
    pods.start();
    nodes.start();
    // A task of a ScheduledExecutorService that throws is never run again: supervise them.
    SupervisedLoops loops = health.loops();
    loops.scheduleWithFixedDelay(timers, "flush-backoff", SECOND, SECOND, queue::flushBackoffQCompleted);
    loops.scheduleWithFixedDelay(timers, "flush-unschedulable", Duration.ofSeconds(30), Duration.ofSeconds(30),
        queue::flushUnschedulablePodsLeftover);
    loops.scheduleWithFixedDelay(timers, "cleanup-assumed", SECOND, SECOND, cache::cleanupExpiredAssumedPods);
    if (elector == null) {
      startLeading();
    } else {
      electorThread = Thread.ofPlatform().name("leader-elector").daemon().start(elector);
    }
  }

  /** What to do when leadership is lost; kube-scheduler exits, which SchedulerMain does here. */
  public void onLeadershipLost(Runnable r) {
    this.onLeadershipLost = r;
  }

  private LeaderElector.Callbacks callbacks() {
    return new LeaderElector.Callbacks() {
      @Override
      public void onStartedLeading() {
        startLeading();
      }

      @Override
      public void onStoppedLeading() {
        stopLeading();
        if (!closing) {
          log.error("leader election lost: {} stops scheduling", identity);
          onLeadershipLost.run();
        }
      }
    };
  }

  private synchronized void startLeading() {
    if (closing) {
      return;
    }
    leading = true;
    loopThread = Thread.ofPlatform().name("scheduling-loop").daemon().start(() -> {
      try {
        while (!pods.waitForSync(Duration.ofSeconds(1)) || !nodes.waitForSync(Duration.ofSeconds(1))) {
          if (closing || !leading) {
            return;
          }
        }
      } catch (InterruptedException e) {
        return;
      }
      log.info("caches synced: {} nodes, {} pods placed, {} pending", cache.nodeCount(), cache.podCount(),
          queue.activeLength() + queue.backoffLength() + queue.unschedulableLength());
      scheduler.run();
    });
  }

  /** Stops deciding at once: the loop exits and nothing more is popped. */
  private synchronized void stopLeading() {
    leading = false;
    scheduler.stop();
    queue.close();
  }

  public boolean isLeader() {
    return leading;
  }

  public String identity() {
    return identity;
  }

  public int healthPort() {
    return health.port();
  }

  @Override
  public void close() {
    closing = true;
    if (elector != null) {
      elector.stop();
      if (electorThread != null) {
        electorThread.interrupt();
      }
    }
    stopLeading();
    timers.shutdownNow();
    pods.close();
    nodes.close();
    recorder.close();
    health.close();
    client.close();
    log.info("scheduler {} stopped", identity);
  }

  private static String hostname() {
    return io.minik8s.client.net.Hostname.local();
  }
}
