package io.minik8s.kubelet;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.FunctionCounter;
import io.minik8s.api.DeleteRequest;
import io.minik8s.api.Node;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.Service;
import io.minik8s.client.ApiClient;
import io.minik8s.client.tls.ClientTls;
import io.minik8s.client.api.Resources;
import io.minik8s.client.component.HealthServer;
import io.minik8s.client.component.SupervisedLoops;
import io.minik8s.client.events.EventRecorder;
import io.minik8s.client.informer.Indexer;
import io.minik8s.client.informer.Informer;
import io.minik8s.client.informer.ResourceEventHandler;
import io.minik8s.kubelet.container.DockerRuntime;
import io.minik8s.kubelet.container.RuntimeContainer;
import io.minik8s.kubelet.network.HostGwAgent;
import io.minik8s.kubelet.network.LinuxHostNetwork;
import io.minik8s.kubelet.nodestatus.NodeLease;
import io.minik8s.kubelet.nodestatus.NodeStatusUpdater;
import io.minik8s.kubelet.pleg.GenericPLEG;
import io.minik8s.kubelet.pod.ContainerFactory;
import io.minik8s.kubelet.pod.PodSyncer;
import io.minik8s.kubelet.pod.PodWorkers;
import io.minik8s.kubelet.pod.Recorder;
import io.minik8s.kubelet.prober.ProbeManager;
import io.minik8s.kubelet.server.KubeletServer;
import io.minik8s.kubelet.status.StatusManager;
import io.minik8s.kubelet.volume.VolumeManager;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent. It registers the Node, renews its Lease, watches the pods bound to this node
 * and hands each to its {@link PodWorkers} worker, which converges the pod's containers on the
 * runtime ({@link PodSyncer}) and writes the pod's status. Triggers are the pod informer, the
 * {@link GenericPLEG} (container state changes), probe verdicts, back-off expiry and a periodic
 * resync; housekeeping removes containers of pods that no longer exist. Its {@link HostGwAgent}
 * keeps this host's routes to the other nodes' pod CIDRs.
 *
 * <p>Mirrors Kubernetes' pkg/kubelet/kubelet.go.
 */
public final class Kubelet implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Kubelet.class);
  private static final Duration TEN_SECONDS = Duration.ofSeconds(10);
  static final String UID_INDEX = "uid";

  private final KubeletConfig config;
  private final DockerRuntime runtime;
  private final ApiClient client;
  private final EventRecorder events;
  private final NodeStatusUpdater nodeStatus;
  private final NodeLease lease;
  private final Informer<Pod> pods;
  /** For the Service environment variables of new containers. */
  private final Informer<Service> services;
  /** For the routes to other nodes' pod CIDRs. */
  private final Informer<Node> nodes;
  private final HostGwAgent podNetwork;
  private final VolumeManager volumes;
  private final ProbeManager probes;
  private final PodSyncer syncer;
  private final PodWorkers workers;
  private final StatusManager statuses;
  private final GenericPLEG pleg;
  private final KubeletServer server;
  private final HealthServer health;
  private final String podSubnet;
  private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "kubelet-timers");
    t.setDaemon(true);
    return t;
  });

  /**
   * The node as stored once the controller-manager gave it a pod CIDR, or as registered when the
   * wait runs out (then Docker picks the pod subnet, and no route elsewhere can lead to it).
   */
  private Node awaitPodCidr(Node node) throws InterruptedException {
    long deadline = System.nanoTime() + config.podCidrWait().toNanos();
    if (node.getSpec().getPodCidr().isEmpty() && !config.podCidrWait().isZero()) {
      log.info("waiting up to {} for node {} to get a pod CIDR", config.podCidrWait(), config.nodeName());
    }
    while (node.getSpec().getPodCidr().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(250);
      node = client.get(Resources.NODES, "", config.nodeName());
    }
    if (node.getSpec().getPodCidr().isEmpty()) {
      log.warn("node {} has no pod CIDR: Docker picks its pod subnet", config.nodeName());
    } else {
      log.info("node {} has pod CIDR {}", config.nodeName(), node.getSpec().getPodCidr());
    }
    return node;
  }

  /** The range of every node's pod CIDR (the --cluster-cidr this kubelet was given). */
  public String clusterCidr() {
    return config.clusterCidr();
  }

  /** The subnet of this node's pod network (its pod CIDR when it had one). */
  public String podSubnet() {
    return podSubnet;
  }

  private Kubelet(KubeletConfig config, ClientTls tls) throws IOException, InterruptedException {
    this.config = config;
    Clock clock = Clock.systemUTC();
    this.runtime = new DockerRuntime(config.dockerHost());
    String dockerVersion;
    try {
      dockerVersion = runtime.version();
    } catch (RuntimeException e) {
      runtime.close();
      throw new IllegalStateException("the Docker engine at " + config.dockerHost() + " does not answer: "
          + e.getMessage() + " (is dockerd running?)", e);
    }
    this.client = ApiClient.connect(config.apiServers(), tls);
    this.events = new EventRecorder(client, "kubelet", config.nodeName(), clock);
    Recorder recorder = (pod, type, reason, message) -> events.record(pod, type, reason, message);
    this.pods = new Informer<Pod>(client, Resources.PODS, "", "", "spec.nodeName=" + config.nodeName())
        .addIndex(UID_INDEX, p -> List.of(p.getMetadata().getUid()));
    this.server = new KubeletServer(config.bindAddress(), config.port(), runtime, config.nodeName(),
        (ns, name) -> pods.cache().get(ns, name).orElse(null), KubeletServer.servingTls(tls));
    this.health = new HealthServer("kubelet", config.bindAddress(), config.healthPort());
    this.pleg = new GenericPLEG(runtime, config.nodeName(), Duration.ofSeconds(1), this::podChanged, clock, health.loops());
    this.nodeStatus = new NodeStatusUpdater(client, runtime, config.nodeName(), config.nodeIp(), config.hostname(),
        server.port(), pleg::healthy, clock);
    this.lease = new NodeLease(client, config.nodeName(), clock);
    Node node = awaitPodCidr(nodeStatus.register());
    this.podSubnet = runtime.ensureNetwork(config.networkName(), node.getSpec().getPodCidr(), Map.of(Labels.NODE, config.nodeName()));
    // A network this node had before may hold endpoints of containers that are gone (the engine's
    // leftovers from a kill churn): off with them, or the network could never be removed.
    runtime.clearStaleEndpoints(config.networkName());
    FunctionCounter.builder("pod_network_stale_endpoints_cleared_total", runtime, DockerRuntime::staleEndpointsCleared)
        .description("Endpoints of the pod network whose container was gone, taken off (docker network disconnect -f)")
        .register(health.metrics());
    nodeStatus.networkReady();
    this.nodes = new Informer<Node>(client, Resources.NODES);
    this.podNetwork = new HostGwAgent(config.nodeName(), podSubnet, config.clusterCidr(), new LinuxHostNetwork(),
        nodes.cache()::list, events::record, health.metrics(), health.loops(), clock,
        Duration.ofMillis(500), TEN_SECONDS);
    nodes.addEventHandler(podNetwork.handler());
    nodes.start();
    if (!nodes.waitForSync(Duration.ofMinutes(1))) {
      throw new IllegalStateException("could not list the Nodes");
    }
    // Only on a full cache: a pass over a partial one would take other nodes' routes away.
    podNetwork.start();
    this.volumes = new VolumeManager(config.rootDir(), runtime, config.nodeName(), config.allowedHostPathPrefixes());
    this.probes = new ProbeManager(runtime, recorder, this::podChanged, clock, health.loops());
    this.services = new Informer<Service>(client, Resources.SERVICES);
    services.start();
    if (!services.waitForSync(Duration.ofMinutes(1))) {
      throw new IllegalStateException("could not list the Services");
    }
    ContainerFactory factory = new ContainerFactory(config.nodeName(), config.networkName(),
        config.podInfraImage(), config.nodeIp(), volumes, config.clusterDns(), config.clusterDomain(),
        ns -> services.cache().byIndex(Indexer.NAMESPACE_INDEX, ns));
    this.syncer = new PodSyncer(config.nodeName(), runtime, volumes, factory, probes, recorder, config.nodeIp(),
        clock, Duration.ofSeconds(10), Duration.ofMinutes(5));
    this.statuses = new StatusManager(client);
    this.workers = new PodWorkers(Executors.newVirtualThreadPerTaskExecutor(), new Handler());
    health.addHealthCheck("pleg", pleg::healthy);
    health.addHealthCheck("pod-network", podNetwork::healthy);
    health.addReadinessCheck("pods-synced", pods::hasSynced);

    pods.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        dispatch(pod);
      }

      @Override
      public void onUpdate(Pod oldPod, Pod newPod) {
        dispatch(newPod);
      }

      @Override
      public void onDelete(Pod pod) {
        workers.update(pod, PodWorkers.UpdateType.KILL);
      }
    });
    pods.start();
    if (!pods.waitForSync(Duration.ofMinutes(1))) {
      throw new IllegalStateException("could not list the pods of node " + config.nodeName());
    }
    pleg.start();
    // Supervised: a timer task that throws (an Error too) would silently never run again.
    SupervisedLoops loops = health.loops();
    loops.scheduleWithFixedDelay(timers, "node-lease", Duration.ZERO, TEN_SECONDS, lease::renew);
    loops.scheduleWithFixedDelay(timers, "node-status", Duration.ZERO, TEN_SECONDS, nodeStatus::update);
    loops.scheduleWithFixedDelay(timers, "resync", TEN_SECONDS, TEN_SECONDS, this::resync);
    loops.scheduleWithFixedDelay(timers, "housekeeping", Duration.ofSeconds(2), TEN_SECONDS, this::housekeeping);
    // flannel's route check: a route deleted by hand comes back.
    loops.scheduleWithFixedDelay(timers, "pod-network-resync", TEN_SECONDS, TEN_SECONDS, podNetwork::resync);
    log.info("kubelet for node {} started: Docker {}, kubelet port {}, health port {}, network {}, root dir {}",
        config.nodeName(), dockerVersion, server.port(), health.port(), config.networkName(), config.rootDir());
  }

  public static Kubelet start(KubeletConfig config) throws IOException, InterruptedException {
    return start(config, ClientTls.plaintext());
  }

  /**
   * As {@link #start(KubeletConfig)} with the node's certificate ({@code mkctl pki node}): its
   * identity toward the api-server ({@code system:node:NAME}), and the serving certificate of its
   * logs/exec port, which takes only callers whose certificate the same CA signed, in system:masters.
   */
  public static Kubelet start(KubeletConfig config, ClientTls tls) throws IOException, InterruptedException {
    return new Kubelet(config, tls);
  }

  public int port() {
    return server.port();
  }

  public int healthPort() {
    return health.port();
  }

  private void dispatch(Pod pod) {
    boolean deleting = !pod.getMetadata().getDeletionTimestamp().isEmpty();
    workers.update(pod, deleting ? PodWorkers.UpdateType.KILL : PodWorkers.UpdateType.SYNC);
  }

  /** A container or probe of the pod changed: sync it (or clean it up if it is not ours any more). */
  private void podChanged(String uid) {
    List<Pod> found = pods.cache().byIndex(UID_INDEX, uid);
    if (!found.isEmpty()) {
      dispatch(found.get(0));
    }
  }

  private void resync() {
    pods.cache().list().forEach(this::dispatch);
  }

  /** Containers of pods the API no longer has (deleted while we were down, or forced) are removed. */
  private void housekeeping() throws IOException {
    // The pod network is the node's: if it went away (removed by hand), pods could not start.
    runtime.ensureNetwork(config.networkName(), podSubnet, Map.of(Labels.NODE, config.nodeName()));
    if (!pods.hasSynced()) {
      return;
    }
    // Containers first, then the pods: a worker creates a pod's containers only after the informer
    // has the pod, so every container listed here belongs to a pod already in the cache read
    // below, or to one that is really gone. In the other order, a pod added between the two reads
    // would have its brand-new containers taken for orphans and killed.
    List<RuntimeContainer> containers = runtime.listContainers(Labels.NODE, config.nodeName());
    Set<String> known = new HashSet<>();
    pods.cache().list().forEach(p -> known.add(p.getMetadata().getUid()));
    Set<String> orphans = new HashSet<>();
    for (RuntimeContainer c : containers) {
      if (!known.contains(c.podUid()) && orphans.add(c.podUid())) {
        log.info("removing the containers of pod {}/{} ({}), which no longer exists",
            c.labels().get(Labels.POD_NAMESPACE), c.labels().get(Labels.POD_NAME), c.podUid());
        workers.update(Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setUid(c.podUid())
            .setName(c.labels().getOrDefault(Labels.POD_NAME, ""))
            .setNamespace(c.labels().getOrDefault(Labels.POD_NAMESPACE, ""))
            .setDeletionGracePeriodSeconds(Long.parseLong(c.labels().getOrDefault(Labels.TERMINATION_GRACE, "30"))))
            .build(), PodWorkers.UpdateType.KILL);
      }
    }
    Set<String> withContainers = new HashSet<>(known);
    withContainers.addAll(orphans);
    workers.syncKnownPods(withContainers);
    for (String uid : volumes.orphanedPodDirs(withContainers)) {
      volumes.tearDown(uid);
    }
  }

  private final class Handler implements PodWorkers.SyncHandler {
    @Override
    public void sync(Pod queued) {
      // Act on the newest state the informer has, not the one that was queued.
      List<Pod> found = pods.cache().byIndex(UID_INDEX, queued.getMetadata().getUid());
      if (found.isEmpty()) {
        return;
      }
      Pod pod = found.get(0);
      if (!pod.getMetadata().getDeletionTimestamp().isEmpty()) {
        kill(pod);
        return;
      }
      PodSyncer.Result r = syncer.sync(pod);
      probes.sync(pod, r.containers(), r.podIp());
      statuses.setPodStatus(pod, r.status());
      if (r.requeueAfter() != null) {
        timers.schedule(() -> podChanged(pod.getMetadata().getUid()),
            Math.max(200, r.requeueAfter().toMillis()), TimeUnit.MILLISECONDS);
      }
    }

    @Override
    public void kill(Pod pod) {
      String uid = pod.getMetadata().getUid();
      syncer.kill(uid, pod, PodSyncer.gracePeriod(pod));
      probes.removePod(uid);
      statuses.forget(uid);
      if (!pod.getMetadata().getDeletionTimestamp().isEmpty()) {
        confirmDeletion(pod);
      }
    }
  }

  /** The containers are gone: tell the api-server it may remove the pod (grace 0, this uid only). */
  private void confirmDeletion(Pod pod) {
    try {
      client.delete(DeleteRequest.newBuilder().setResource(Resources.PODS.resource())
          .setNamespace(pod.getMetadata().getNamespace()).setName(pod.getMetadata().getName())
          .setGracePeriodSeconds(0).setPreconditionUid(pod.getMetadata().getUid()).build());
      log.info("pod {}/{} terminated and removed", pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
        log.info("confirming the deletion of {}/{}: {}", pod.getMetadata().getNamespace(),
            pod.getMetadata().getName(), e.getStatus());
      }
    }
  }

  /** Stops the kubelet; its containers keep running, as a real kubelet's do. */
  @Override
  public void close() {
    timers.shutdownNow();
    pleg.close();
    podNetwork.close();
    nodes.close();
    pods.close();
    services.close();
    probes.close();
    server.close();
    health.close();
    events.close();
    client.close();
    try {
      runtime.clearStaleEndpoints(config.networkName());
    } catch (RuntimeException e) {
      log.warn("clearing stale endpoints of pod network {}: {}", config.networkName(), e.toString());
    }
    runtime.close();
  }
}
