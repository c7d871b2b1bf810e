package io.minik8s.kubeproxy;

import io.minik8s.api.Endpoints;
import io.minik8s.api.Service;
import io.minik8s.client.ApiClient;
import io.minik8s.client.tls.ClientTls;
import io.minik8s.client.api.Resources;
import io.minik8s.client.component.HealthServer;
import io.minik8s.client.informer.Informer;
import io.minik8s.client.informer.ResourceEventHandler;
import io.minik8s.kubeproxy.dns.ClusterDns;
import io.minik8s.kubeproxy.dns.DnsServer;
import io.minik8s.kubeproxy.proxy.ProxyMetrics;
import io.minik8s.kubeproxy.proxy.TcpProxy;
import io.minik8s.kubeproxy.proxy.Transport;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kube-proxy of one node: follows Services and Endpoints, keeps every ClusterIP bound on a
 * local interface and proxied to ready endpoints (and node ports open), and answers cluster DNS.
 * Changes are coalesced: any number of events in a burst cause one sync of the whole table.
 */
public final class KubeProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KubeProxy.class);
  /** The sync's name in {@code loop_errors_total}. */
  static final String SYNC_LOOP = "proxy-sync";
  private static final Duration SYNC_RETRY = Duration.ofSeconds(1);
  private static final Duration ADDRESS_CHECK = Duration.ofSeconds(10);

  public record Config(
      String nodeName,
      String apiServers,
      String bindAddress,
      int healthPort,
      String clusterDomain,
      String clusterDns,
      int dnsPort,
      VirtualIps virtualIps,
      NodePortAddresses nodePortAddresses) {}

  private final Config config;
  private final ApiClient client;
  private final HealthServer health;
  private final Informer<Service> services;
  private final Informer<Endpoints> endpoints;
  private final TcpProxy proxy;
  private final DnsServer dns;
  private final ScheduledExecutorService syncer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "proxy-sync");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean syncPending = new AtomicBoolean();
  private final Set<String> boundIps = new HashSet<>();
  /** The addresses the last sync served NodePorts on; a change of the node's addresses asks for a sync. */
  private volatile List<String> nodePortAddresses = List.of();

  private KubeProxy(Config config, ClientTls tls) throws Exception {
    this.config = config;
    this.client = ApiClient.connect(config.apiServers(), tls);
    this.health = new HealthServer("kube-proxy", config.bindAddress(), config.healthPort());
    this.proxy = new TcpProxy(new ProxyMetrics(health.metrics()), Clock.systemUTC());
    this.services = new Informer<>(client, Resources.SERVICES);
    this.endpoints = new Informer<>(client, Resources.ENDPOINTS);
    services.addEventHandler(new SyncTrigger<>());
    endpoints.addEventHandler(new SyncTrigger<>());
    health.addReadinessCheck("informers-synced", () -> services.hasSynced() && endpoints.hasSynced());
    config.virtualIps().add(config.clusterDns());
    this.dns = new DnsServer(new ClusterDns(config.clusterDomain(),
        key -> services.cache().get(key), key -> endpoints.cache().get(key)),
        config.clusterDns(), config.dnsPort(), Transport.best(), health.metrics());
    services.start();
    endpoints.start();
    // interfaces come and go (a node's pod bridge appears after the kubelet starts): NodePorts follow
    syncer.scheduleWithFixedDelay(() -> health.loops().runPass("nodeport-addresses", () -> {
      if (!config.nodePortAddresses().current().equals(nodePortAddresses)) {
        requestSync();
      }
    }), ADDRESS_CHECK.toMillis(), ADDRESS_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    log.info("kube-proxy for node {} started (api-servers {}, DNS {}:{}, NodePorts on {})", config.nodeName(),
        config.apiServers(), config.clusterDns(), config.dnsPort(), config.nodePortAddresses());
  }

  /** Any change of a Service or Endpoints asks for a sync. */
  private final class SyncTrigger<T> implements ResourceEventHandler<T> {
    @Override
    public void onAdd(T obj) {
      requestSync();
    }

    @Override
    public void onUpdate(T oldObj, T newObj) {
      requestSync();
    }

    @Override
    public void onDelete(T obj) {
      requestSync();
    }
  }

  public static KubeProxy start(Config config) throws Exception {
    return start(config, ClientTls.plaintext());
  }

  /** As {@link #start(Config)}, reaching the api-server as {@code tls} says (its certificate: system:kube-proxy). */
  public static KubeProxy start(Config config, ClientTls tls) throws Exception {
    return new KubeProxy(config, tls);
  }

  public int healthPort() {
    return health.port();
  }

  private void requestSync() {
    if (syncPending.compareAndSet(false, true)) {
      syncer.schedule(this::sync, 50, TimeUnit.MILLISECONDS);
    }
  }

  private void sync() {
    syncPending.set(false);
    if (!health.loops().runPass(SYNC_LOOP, this::syncOnce) && !syncer.isShutdown()) {
      // counted in loop_errors_total{loop="proxy-sync"}; the whole table is tried again
      syncer.schedule(this::requestSync, SYNC_RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void syncOnce() {
    List<ServicePortInfo> table = ServiceTable.build(services.cache().list(),
        key -> endpoints.cache().get(key).orElse(null));
    Set<String> wanted = new HashSet<>();
    for (ServicePortInfo info : table) {
      wanted.add(info.clusterIp());
    }
    for (String ip : wanted) {
      if (!boundIps.contains(ip)) {
        config.virtualIps().add(ip);
        boundIps.add(ip); // only once the address is there: a failed add is tried again next sync
      }
    }
    List<String> addresses = config.nodePortAddresses().current();
    proxy.sync(table, addresses);
    nodePortAddresses = addresses;
    for (String ip : Set.copyOf(boundIps)) {
      if (!wanted.contains(ip)) {
        config.virtualIps().remove(ip);
        boundIps.remove(ip);
      }
    }
  }

  @Override
  public void close() {
    syncer.shutdownNow();
    services.close();
    endpoints.close();
    proxy.close();
    dns.close();
    health.close();
    client.close();
    // The addresses stay on lo: other node proxies on this host may be serving them too.
  }
}
