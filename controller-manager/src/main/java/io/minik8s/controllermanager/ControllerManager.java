package io.minik8s.controllermanager;

import io.minik8s.api.CertificateSigningRequest;
import io.minik8s.client.pki.Credential;
import io.minik8s.controllermanager.certificates.CertificateController;

import com.google.protobuf.Message;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minik8s.api.ControllerRevision;
import io.minik8s.api.Deployment;
import io.minik8s.api.Lease;
import io.minik8s.api.Namespace;
import io.minik8s.api.Node;
import io.minik8s.api.PersistentVolumeClaim;
import io.minik8s.api.Pod;
import io.minik8s.api.Service;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.StatefulSet;
import io.minik8s.client.ApiClient;
import io.minik8s.client.tls.ClientTls;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import io.minik8s.client.component.HealthServer;
import io.minik8s.client.events.EventRecorder;
import io.minik8s.client.informer.Informer;
import io.minik8s.client.leaderelection.ApiLeaseLock;
import io.minik8s.client.leaderelection.LeaderElector;
import io.minik8s.controllermanager.controller.ApiControllerClient;
import io.minik8s.controllermanager.controller.BaseController;
import io.minik8s.controllermanager.controller.ControllerClient;
import io.minik8s.controllermanager.controller.Lister;
import io.minik8s.controllermanager.controller.Recorder;
import io.minik8s.controllermanager.deployment.DeploymentController;
import io.minik8s.controllermanager.endpoints.EndpointsController;
import io.minik8s.controllermanager.garbagecollector.GarbageCollector;
import io.minik8s.controllermanager.namespace.NamespaceController;
import io.minik8s.controllermanager.nodeipam.CidrSet;
import io.minik8s.controllermanager.nodeipam.NodeIpamController;
import io.minik8s.controllermanager.nodelifecycle.NodeLifecycleController;
import io.minik8s.controllermanager.replicaset.ReplicaSetController;
import io.minik8s.controllermanager.statefulset.StatefulSetController;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All controllers in one process, started as a unit: shared informers, then (once leader, if
 * leader election is on) every controller's workers. Losing the lease runs {@code onLostLeadership}
 * at once — the process exits — so two managers never act together.
 *
 * <p>Mirrors Kubernetes' cmd/kube-controller-manager/app/controllermanager.go.
 */
public final class ControllerManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControllerManager.class);
  public static final String LEASE_NAMESPACE = "kube-system";
  public static final String LEASE_NAME = "kube-controller-manager";

  /** Flags, with Kubernetes' names and defaults where it has them. */
  public record Options(
      String apiServers, boolean leaderElect, LeaderElector.Config leaderElection, String identity,
      String clusterCidr, int nodeCidrMaskSize, Duration nodeMonitorGracePeriod, Duration nodeMonitorPeriod,
      long defaultUnreachableTolerationSeconds, int concurrentReplicaSetSyncs, int concurrentDeploymentSyncs,
      int concurrentStatefulSetSyncs, int concurrentGcSyncs, int healthPort, Runnable onLostLeadership) {

    public static Options defaults(String apiServers) {
      return new Options(apiServers, true, LeaderElector.Config.defaults(), defaultIdentity(), "10.244.0.0/16", 24,
          Duration.ofSeconds(40), Duration.ofSeconds(5), 300, 5, 5, 5, 20, 10257, () -> { });
    }

    public Options withLeaderElect(boolean on) {
      return new Options(apiServers, on, leaderElection, identity, clusterCidr, nodeCidrMaskSize, nodeMonitorGracePeriod,
          nodeMonitorPeriod, defaultUnreachableTolerationSeconds, concurrentReplicaSetSyncs, concurrentDeploymentSyncs,
          concurrentStatefulSetSyncs, concurrentGcSyncs, healthPort, onLostLeadership);
    }

    public Options withNodeMonitoring(Duration grace, Duration period, long tolerationSeconds) {
      return new Options(apiServers, leaderElect, leaderElection, identity, clusterCidr, nodeCidrMaskSize, grace,
          period, tolerationSeconds, concurrentReplicaSetSyncs, concurrentDeploymentSyncs,
          concurrentStatefulSetSyncs, concurrentGcSyncs, healthPort, onLostLeadership);
    }

    public Options withHealthPort(int port) {
      return new Options(apiServers, leaderElect, leaderElection, identity, clusterCidr, nodeCidrMaskSize,
          nodeMonitorGracePeriod, nodeMonitorPeriod, defaultUnreachableTolerationSeconds, concurrentReplicaSetSyncs,
          concurrentDeploymentSyncs, concurrentStatefulSetSyncs, concurrentGcSyncs, port, onLostLeadership);
    }

    static String defaultIdentity() {
      return io.minik8s.client.net.Hostname.local() + "_" + java.util.UUID.randomUUID();
    }
  }

  private final Options options;
  private final Clock clock = Clock.systemUTC();
  private final ApiClient client;
  private final HealthServer health;
  private final MeterRegistry metrics;
  private final EventRecorder events;
  private final List<Informer<?>> informers = new ArrayList<>();
  private final List<BaseController> controllers = new ArrayList<>();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "node-monitor");
    t.setDaemon(true);
    return t;
  });
  /** The CA that signs kubelets' certificate requests; null: no CSR signing (no --cluster-signing-*-file). */
  private final Credential signingCa;
  private LeaderElector elector;
  private volatile boolean synced;
  private volatile boolean closed;

  private ControllerManager(Options options, ClientTls tls, Credential signingCa) throws IOException {
    this.options = options;
    this.signingCa = signingCa;
    this.client = ApiClient.connect(options.apiServers(), tls);
    this.health = options.healthPort() >= 0 ? new HealthServer("controller-manager", "0.0.0.0", options.healthPort()) : null;
    this.metrics = health != null ? health.metrics() : new SimpleMeterRegistry();
    this.events = new EventRecorder(client, "controller-manager", options.identity(), clock);
  }

  /** Starts the manager: campaigns for the lease (or runs the controllers at once without leader election). */
  public static ControllerManager start(Options options) throws IOException {
    return start(options, ClientTls.plaintext());
  }

  /** As {@link #start(Options)}, reaching the api-server as {@code tls} says (its certificate: system:kube-controller-manager). */
  public static ControllerManager start(Options options, ClientTls tls) throws IOException {
    return start(options, tls, null);
  }

  /**
   * As {@link #start(Options, ClientTls)}, also approving and signing kubelets' certificate
   * requests with {@code signingCa} (--cluster-signing-cert-file and --cluster-signing-key-file).
   */
  public static ControllerManager start(Options options, ClientTls tls, Credential signingCa) throws IOException {
    ControllerManager cm = new ControllerManager(options, tls, signingCa);
    if (cm.health != null) {
      cm.health.addHealthCheck("ping", () -> true);
      cm.health.addReadinessCheck("informers-synced", () -> cm.synced || (cm.elector != null && !cm.elector.isLeader()));
    }
    if (options.leaderElect()) {
      cm.elector = new LeaderElector(new ApiLeaseLock(cm.client, LEASE_NAMESPACE, LEASE_NAME), options.identity(),
          options.leaderElection(), new LeaderElector.Callbacks() {
            @Override
            public void onStartedLeading() {
              cm.runControllers();
            }

            @Override
            public void onStoppedLeading() {
              log.warn("{} lost the lease {}/{}: stopping", options.identity(), LEASE_NAMESPACE, LEASE_NAME);
              cm.stopControllers();
              if (!cm.closed) {
                options.onLostLeadership().run();
              }
            }
          }, cm.clock);
      Thread.ofPlatform().name("leader-election").daemon().start(cm.elector);
    } else {
      Thread.ofPlatform().name("controllers").daemon().start(cm::runControllers);
    }
    return cm;
  }

  public boolean isLeader() {
    return elector == null || elector.isLeader();
  }

  public int healthPort() {
    return health == null ? -1 : health.port();
  }

  private <T extends Message> Informer<T> informer(ResourceType type, String namespace) {
    Informer<T> inf = new Informer<>(client, type, namespace, "", "");
    informers.add(inf);
    return inf;
  }

  private void runControllers() {
    ControllerClient writer = new ApiControllerClient(client);
    Recorder recorder = Recorder.of(events);
    Informer<Pod> pods = informer(Resources.PODS, "");
    Informer<ReplicaSet> replicaSets = informer(Resources.REPLICA_SETS, "");
    Informer<Deployment> deployments = informer(Resources.DEPLOYMENTS, "");
    Informer<StatefulSet> statefulSets = informer(Resources.STATEFUL_SETS, "");
    Informer<ControllerRevision> revisions = informer(Resources.CONTROLLER_REVISIONS, "");
    Informer<PersistentVolumeClaim> claims = informer(Resources.PERSISTENT_VOLUME_CLAIMS, "");
    Informer<Node> nodes = informer(Resources.NODES, "");
    Informer<Lease> leases = informer(Resources.LEASES, NodeLifecycleController.NODE_LEASE_NAMESPACE);
    pods.addIndex(NodeLifecycleController.PODS_BY_NODE, p -> List.of(p.getSpec().getNodeName()));

    Map<ResourceType, Lister<? extends Message>> owned = new LinkedHashMap<>();
    for (Informer<? extends Message> inf : List.of(pods, replicaSets, deployments, statefulSets, revisions, claims)) {
      inf.addIndex(GarbageCollector.OWNER_UID_INDEX, GarbageCollector::ownerUids);
      owned.put(inf.type(), Lister.of(inf.cache()));
    }

    ReplicaSetController rsc = new ReplicaSetController(Lister.of(replicaSets.cache()), Lister.of(pods.cache()), writer, recorder, clock);
    replicaSets.addEventHandler(rsc.replicaSetHandler());
    pods.addEventHandler(rsc.podHandler());

    DeploymentController dc = new DeploymentController(Lister.of(deployments.cache()), Lister.of(replicaSets.cache()),
        Lister.of(pods.cache()), writer, recorder, clock);
    deployments.addEventHandler(dc.deploymentHandler());
    replicaSets.addEventHandler(dc.replicaSetHandler());
    pods.addEventHandler(dc.podHandler());

    StatefulSetController ssc = new StatefulSetController(Lister.of(statefulSets.cache()), Lister.of(pods.cache()),
        Lister.of(claims.cache()), Lister.of(revisions.cache()), writer, recorder, clock);
    statefulSets.addEventHandler(ssc.setHandler());
    pods.addEventHandler(ssc.podHandler());

    GarbageCollector gc = new GarbageCollector(owned, writer, recorder, clock);
    pods.addEventHandler(gc.handler(Resources.PODS));
    replicaSets.addEventHandler(gc.handler(Resources.REPLICA_SETS));
    deployments.addEventHandler(gc.handler(Resources.DEPLOYMENTS));
    statefulSets.addEventHandler(gc.handler(Resources.STATEFUL_SETS));
    revisions.addEventHandler(gc.handler(Resources.CONTROLLER_REVISIONS));
    claims.addEventHandler(gc.handler(Resources.PERSISTENT_VOLUME_CLAIMS));

    Informer<Service> services = informer(Resources.SERVICES, "");
    EndpointsController endpoints = new EndpointsController(Lister.of(services.cache()), Lister.of(pods.cache()), writer, clock);
    services.addEventHandler(endpoints.serviceHandler());
    pods.addEventHandler(endpoints.podHandler());

    NodeIpamController ipam = new NodeIpamController(Lister.of(nodes.cache()), writer, recorder, clock,
        new CidrSet(options.clusterCidr(), options.nodeCidrMaskSize()));
    nodes.addEventHandler(ipam.nodeHandler());

    NodeLifecycleController lifecycle = new NodeLifecycleController(Lister.of(nodes.cache()), Lister.of(leases.cache()),
        Lister.of(pods.cache()), writer, recorder, clock, options.nodeMonitorGracePeriod(),
        options.defaultUnreachableTolerationSeconds());

    Informer<Namespace> namespaces = informer(Resources.NAMESPACES, "");
    NamespaceController namespace = new NamespaceController(Lister.of(namespaces.cache()), writer, clock, Duration.ofSeconds(1));
    namespaces.addEventHandler(namespace.namespaceHandler());

    controllers.addAll(List.of(rsc, dc, ssc, gc, endpoints, ipam, lifecycle, namespace));
    CertificateController certificates = null;
    if (signingCa != null) {
      Informer<CertificateSigningRequest> csrs = informer(Resources.CERTIFICATE_SIGNING_REQUESTS, "");
      certificates = new CertificateController(Lister.of(csrs.cache()), writer, recorder, signingCa, clock);
      csrs.addEventHandler(certificates.handler());
      controllers.add(certificates);
    } else {
      log.info("no --cluster-signing-cert-file/--cluster-signing-key-file: certificate signing requests are not signed");
    }
    controllers.forEach(c -> c.bindMetrics(metrics));
    informers.forEach(Informer::start);
    try {
      for (Informer<?> inf : informers) {
        while (!inf.waitForSync(Duration.ofSeconds(5))) {
          if (closed) {
            return;
          }
          log.info("waiting for the {} cache to sync", inf.type().resource());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    synced = true;
    if (closed) {
      return;
    }
    rsc.run(options.concurrentReplicaSetSyncs());
    dc.run(options.concurrentDeploymentSyncs());
    ssc.run(options.concurrentStatefulSetSyncs());
    gc.run(options.concurrentGcSyncs());
    endpoints.run(2);
    ipam.run(1);
    lifecycle.run(1);
    namespace.run(2);
    if (certificates != null) {
      certificates.run(1);
    }
    Duration period = Duration.ofMillis(Math.max(100, options.nodeMonitorPeriod().toMillis()));
    // supervised: a timer task that throws would never run again, and no silent node would turn Ready=Unknown
    health.loops().scheduleWithFixedDelay(ticker, "node-monitor", period, period, lifecycle::monitor);
    log.info("controllers started: {}", controllers.stream().map(BaseController::name).toList());
  }

  private synchronized void stopControllers() {
    ticker.shutdownNow();
    controllers.forEach(BaseController::stop);
    informers.forEach(Informer::close);
  }

  @Override
  public void close() {
    closed = true;
    if (elector != null) {
      elector.stop();
    }
    stopControllers();
    events.close();
    if (health != null) {
      health.close();
    }
    client.close();
  }
}
