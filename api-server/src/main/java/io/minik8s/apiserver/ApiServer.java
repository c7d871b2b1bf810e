package io.minik8s.apiserver;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.minik8s.api.Namespace;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.apiserver.auth.AuthenticationInterceptor;
import io.minik8s.apiserver.auth.Authenticator;
import io.minik8s.apiserver.auth.BearerTokenAuthenticator;
import io.minik8s.apiserver.auth.BootstrapTokenAuthenticator;
import io.minik8s.client.bootstrap.BootstrapToken;
import io.minik8s.api.Secret;
import io.minik8s.apiserver.auth.TokenFile;
import io.minik8s.apiserver.authz.AccessControl;
import io.minik8s.apiserver.authz.AuthorizationModes;
import io.minik8s.apiserver.authz.rbac.CachedRbacObjects;
import io.minik8s.apiserver.auth.InsecureAuthenticator;
import io.minik8s.apiserver.auth.UserInfo;
import io.minik8s.apiserver.auth.X509Authenticator;
import io.minik8s.apiserver.registry.ApiException;
import io.minik8s.apiserver.registry.Registry;
import io.minik8s.apiserver.registry.ServiceAllocator;
import io.minik8s.apiserver.registry.ServiceAllocatorRepair;
import io.minik8s.apiserver.rest.RestServer;
import io.minik8s.apiserver.storage.EtcdStore;
import io.minik8s.apiserver.storage.SizeLimits;
import io.minik8s.apiserver.storage.Store;
import io.minik8s.apiserver.watch.WatchBuffers;
import io.minik8s.apiserver.watch.WatchCaches;
import io.minik8s.client.component.HealthServer;
import io.minik8s.client.tls.ClientTls;
import io.minik8s.client.tls.ServingTls;
import io.micrometer.core.instrument.Gauge;
import io.minik8s.client.api.Resources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The api-server process, startable in-process by tests: etcd store, watch caches, gRPC and HTTP.
 *
 * <p>Mirrors Kubernetes' cmd/kube-apiserver/app/server.go.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  /** Namespaces that exist from the start, as in Kubernetes. */
  static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");
  /** How long a stopping api-server lets the calls it already took finish. */
  private static final Duration DRAIN = Duration.ofSeconds(3);

  /**
   * The api-server's settings. Built with {@link #builder}: a record of many positional fields is
   * easy to get wrong at a call site, so only the builder calls the canonical constructor.
   */
  public record Config(
      List<String> etcdServers,
      String bindAddress,
      int port,
      int healthPort,
      Duration bookmarkInterval,
      int watchWindow,
      String serviceClusterIpRange,
      int nodePortMin,
      int nodePortMax,
      Duration eventTtl,
      long watchBufferBytes,
      Duration serviceAllocatorRepairInterval,
      Path tokenAuthFile,
      List<String> authorizationModes,
      ServingTls tls,
      boolean insecurePlaintext,
      ClientTls kubeletClientTls,
      ClientTls etcdTls,
      int restPort) {

    /** What one watcher may have waiting for a slow client before it is cut off (see Watcher). */
    public static final long DEFAULT_WATCH_BUFFER_BYTES = 32L * 1024 * 1024;

    /** The defaults of {@code bin/api-server}, for these etcd members. */
    public static Config defaults(List<String> etcdServers) {
      return builder(etcdServers).build();
    }

    public static Builder builder(List<String> etcdServers) {
      return new Builder(etcdServers);
    }

    public Builder toBuilder() {
      return new Builder(etcdServers).bindAddress(bindAddress).ports(port, healthPort)
          .bookmarkInterval(bookmarkInterval).watchWindow(watchWindow).serviceClusterIpRange(serviceClusterIpRange)
          .nodePortRange(nodePortMin, nodePortMax).eventTtl(eventTtl).watchBufferBytes(watchBufferBytes)
          .serviceAllocatorRepairInterval(serviceAllocatorRepairInterval)
          .tokenAuthFile(tokenAuthFile).authorizationModes(authorizationModes)
          .security(tls, insecurePlaintext).kubeletClientTls(kubeletClientTls).etcdTls(etcdTls)
          .restPort(restPort);
    }

    public Config withPorts(int port, int healthPort) {
      return toBuilder().ports(port, healthPort).build();
    }

    public Config withBookmarkInterval(Duration d) {
      return toBuilder().bookmarkInterval(d).build();
    }

    public Config withWatchWindow(int events) {
      return toBuilder().watchWindow(events).build();
    }

    public Config withEventTtl(Duration ttl) {
      return toBuilder().eventTtl(ttl).build();
    }

    public Config withWatchBufferBytes(long bytes) {
      return toBuilder().watchBufferBytes(bytes).build();
    }

    public Config withServiceAllocatorRepairInterval(Duration d) {
      return toBuilder().serviceAllocatorRepairInterval(d).build();
    }

    /** Starts from {@code bin/api-server}'s defaults; each setter replaces one. */
    public static final class Builder {
      private final List<String> etcdServers;
      private String bindAddress = "0.0.0.0";
      private int port = 6443;
      private int healthPort = 8080;
      private Duration bookmarkInterval = Duration.ofSeconds(30);
      private int watchWindow = 10_000;
      private String serviceClusterIpRange = "10.96.0.0/12";
      private int nodePortMin = 30000;
      private int nodePortMax = 32767;
      private Duration eventTtl = Duration.ofHours(1);
      private long watchBufferBytes = DEFAULT_WATCH_BUFFER_BYTES;
      private Duration serviceAllocatorRepairInterval = Duration.ofMinutes(3);
      private Path tokenAuthFile;
      private List<String> authorizationModes = List.of();
      private ServingTls tls;
      private boolean insecurePlaintext;
      private ClientTls kubeletClientTls = ClientTls.plaintext();
      private ClientTls etcdTls = ClientTls.plaintext();
      private int restPort = -1;

      private Builder(List<String> etcdServers) {
        this.etcdServers = List.copyOf(etcdServers);
      }

      public Builder bindAddress(String address) {
        this.bindAddress = address;
        return this;
      }

      /** The gRPC port and the health/metrics port; 0 picks a free one. */
      public Builder ports(int port, int healthPort) {
        this.port = port;
        this.healthPort = healthPort;
        return this;
      }

      public Builder bookmarkInterval(Duration d) {
        this.bookmarkInterval = d;
        return this;
      }

      /** How many recent changes each watch cache keeps for watches that resume. */
      public Builder watchWindow(int events) {
        this.watchWindow = events;
        return this;
      }

      public Builder serviceClusterIpRange(String cidr) {
        this.serviceClusterIpRange = cidr;
        return this;
      }

      public Builder nodePortRange(int min, int max) {
        this.nodePortMin = min;
        this.nodePortMax = max;
        return this;
      }

      public Builder eventTtl(Duration ttl) {
        this.eventTtl = ttl;
        return this;
      }

      public Builder watchBufferBytes(long bytes) {
        this.watchBufferBytes = bytes;
        return this;
      }

      public Builder serviceAllocatorRepairInterval(Duration d) {
        this.serviceAllocatorRepairInterval = d;
        return this;
      }

      /** Kubernetes' --token-auth-file: bearer tokens and their users; null: none. */
      public Builder tokenAuthFile(Path file) {
        this.tokenAuthFile = file;
        return this;
      }

      /** Kubernetes' --authorization-mode; empty: Node,RBAC with authentication on, AlwaysAllow without. */
      public Builder authorizationModes(List<String> modes) {
        this.authorizationModes = List.copyOf(modes);
        return this;
      }

      /** The port of Kubernetes' REST API (kubectl); 0 picks a free one, -1 (the builder's default) serves none. */
      public Builder restPort(int port) {
        this.restPort = port;
        return this;
      }

      /** Serve TLS with this certificate, authenticating callers by their client certificates. */
      public Builder tls(ServingTls tls) {
        return security(tls, false);
      }

      /** Serve plain text, every caller a superuser: development only (--insecure-plaintext). */
      public Builder insecurePlaintext() {
        return security(null, true);
      }

      private Builder security(ServingTls tls, boolean insecurePlaintext) {
        this.tls = tls;
        this.insecurePlaintext = insecurePlaintext;
        return this;
      }

      /** How the api-server reaches the kubelets for logs and exec (its client certificate, the CA of theirs). */
      public Builder kubeletClientTls(ClientTls tls) {
        this.kubeletClientTls = tls;
        return this;
      }

      /** How the api-server reaches etcd: its client certificate and etcd's CA (plain text: none). */
      public Builder etcdTls(ClientTls tls) {
        this.etcdTls = tls;
        return this;
      }

      /** Fails when neither TLS nor plain text was chosen: there is no silent insecure default. */
      public Config build() {
        if (tls == null && !insecurePlaintext) {
          throw new IllegalArgumentException("the api-server serves TLS: give --tls-cert-file, --tls-private-key-file "
              + "and --client-ca-file (mkctl pki init makes them), or --insecure-plaintext for development");
        }
        return new Config(etcdServers, bindAddress, port, healthPort, bookmarkInterval, watchWindow,
            serviceClusterIpRange, nodePortMin, nodePortMax, eventTtl, watchBufferBytes, serviceAllocatorRepairInterval,
            tokenAuthFile, authorizationModes, tls, insecurePlaintext, kubeletClientTls, etcdTls, restPort);
      }
    }
  }

  private final Store store;
  private final WatchCaches watchCaches;
  private final ServiceAllocatorRepair allocatorRepair;
  private final HealthServer health;
  private final ApiService api;
  private final Server grpc;
  private final RestServer rest;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ApiServer(Config config) throws IOException {
    this.store = new EtcdStore(config.etcdServers(), Duration.ofSeconds(10), config.etcdTls());
    if (config.etcdTls().isPlaintext()) {
      log.warn("INSECURE: talking to etcd in plain text (no --etcd-cafile): whoever reaches etcd's client port "
          + "reads and writes every object, Secrets included");
    }
    Registry registry = new Registry(store, Clock.systemUTC(),
        new ServiceAllocator(store, config.serviceClusterIpRange(), config.nodePortMin(), config.nodePortMax()),
        config.eventTtl());
    this.health = new HealthServer("api-server", config.bindAddress(), config.healthPort());
    health.addReadinessCheck("etcd", this::etcdReachable);
    this.watchCaches = new WatchCaches(store, config.watchWindow(), config.bookmarkInterval(), health.loops());
    bootstrapNamespaces(registry);
    RbacBootstrap.ensure(registry);
    this.allocatorRepair = new ServiceAllocatorRepair(store, health.metrics(), health.loops());
    allocatorRepair.start(config.serviceAllocatorRepairInterval());
    watchCaches.start();
    Gauge.builder("apiserver_watchers", watchCaches, WatchCaches::watcherCount).register(health.metrics());
    AuthenticationInterceptor authentication = new AuthenticationInterceptor(authenticators(config, registry), health.metrics());
    List<String> modes = AuthorizationModes.effective(config.authorizationModes(), !authentication.devMode());
    AccessControl access = AuthorizationModes.build(modes, new CachedRbacObjects(watchCaches),
        (namespace, name) -> registry.find(Resources.PODS, namespace, name).map(Pod.class::cast));
    log.info("authorization mode {}", String.join(",", modes));
    this.api = new ApiService(registry, watchCaches, new WatchBuffers(config.watchBufferBytes(), health.metrics()),
        health.metrics(), health.loops(), access, config.kubeletClientTls());
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(config.bindAddress(), config.port()))
        .addService(ServerInterceptors.intercept(api, authentication))
        .executor(Executors.newVirtualThreadPerTaskExecutor())
        .maxInboundMessageSize(SizeLimits.MAX_REQUEST_BYTES)
        .permitKeepAliveTime(10, TimeUnit.SECONDS);
    if (config.tls() != null) {
      builder.sslContext(config.tls().sslContext(false));
    }
    this.grpc = builder.build().start();
    if (authentication.devMode()) {
      log.warn("INSECURE: serving the API in plain text (--insecure-plaintext) with no token file; every caller is "
          + "treated as {} in {}: anyone who reaches port {} owns the cluster",
          InsecureAuthenticator.UNSECURED.name(), UserInfo.MASTERS, grpc.getPort());
    } else if (config.tls() == null) {
      log.warn("INSECURE: serving the API in plain text (--insecure-plaintext): bearer tokens cross the network unencrypted");
    }
    this.rest = config.restPort() < 0 ? null : RestServer.start(config.bindAddress(), config.restPort(), config.tls(),
        api, authentication, access, health.metrics());
    log.info("serving the API on {}:{} (gRPC, {}), health and metrics on :{}, etcd {} ({})",
        config.bindAddress(), grpc.getPort(), config.tls() != null ? "mutual TLS" : "PLAIN TEXT", health.port(),
        String.join(",", config.etcdServers()), config.etcdTls().isPlaintext() ? "PLAIN TEXT" : "mutual TLS");
  }

  /**
   * Who may call, asked in order: the client certificate (the TLS handshake has checked it against
   * --client-ca-file), then a bearer token of --token-auth-file, then a bootstrap token (kube-system's
   * bootstrap-token-* Secrets; over TLS only, as a joining node's token must not cross in plain text).
   * Plain text with no token file is development mode: everyone is the unsecured superuser.
   */
  private static List<Authenticator> authenticators(Config config, Registry registry) throws IOException {
    List<Authenticator> out = new ArrayList<>();
    if (config.tls() != null) {
      out.add(new X509Authenticator());
    }
    if (config.tokenAuthFile() != null) {
      TokenFile tokens = TokenFile.read(config.tokenAuthFile());
      log.info("bearer tokens of {} users from {}", tokens.size(), config.tokenAuthFile());
      out.add(new BearerTokenAuthenticator(tokens));
    }
    if (config.tls() != null) {
      out.add(new BootstrapTokenAuthenticator(name -> registry.find(Resources.SECRETS, BootstrapToken.NAMESPACE, name)
          .map(Secret.class::cast), Clock.systemUTC()));
    }
    if (out.isEmpty() && config.insecurePlaintext()) {
      out.add(new InsecureAuthenticator());
    }
    return out;
  }

  public static ApiServer start(Config config) throws IOException {
    return new ApiServer(config);
  }

  public int port() {
    return grpc.getPort();
  }

  /** The port of the REST API; -1 when it is not served. */
  public int restPort() {
    return rest == null ? -1 : rest.port();
  }

  public int healthPort() {
    return health.port();
  }

  private boolean etcdReachable() {
    try {
      store.currentRevision();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Creates the system namespaces; etcd may still be electing a leader, so keep trying a while. */
  private static void bootstrapNamespaces(Registry registry) {
    for (String name : SYSTEM_NAMESPACES) {
      for (int attempt = 0; ; attempt++) {
        try {
          registry.create(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(name)).build(), false);
          log.info("created namespace {}", name);
          break;
        } catch (ApiException e) {
          break; // already exists
        } catch (Store.UnavailableException e) {
          if (attempt >= 30) {
            throw e;
          }
          log.warn("etcd not ready ({}); retrying", e.getMessage());
          sleep(1000);
        }
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public void awaitTermination() throws InterruptedException {
    grpc.awaitTermination();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // A graceful drain, as Kubernetes' api-server does on SIGTERM: GOAWAY first, so a client sends
    // its next calls to another api-server (gRPC retries a call the server never took), then end
    // the watches (they see UNAVAILABLE and re-watch elsewhere), then give the calls in flight a
    // moment to finish. A hard stop here would cut a create that had already reached this server
    // and leave its client not knowing whether it committed.
    grpc.shutdown();
    if (rest != null) {
      rest.close();
    }
    watchCaches.close();
    api.close();
    try {
      if (!grpc.awaitTermination(DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
        log.info("calls still running after {}: cancelling them", DRAIN);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    grpc.shutdownNow();
    allocatorRepair.close();
    health.close();
    store.close();
    log.info("stopped");
  }
}
