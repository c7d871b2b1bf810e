package io.minik8s.apiserver;

import io.minik8s.client.component.Durations;
import io.minik8s.client.tls.ClientTls;
import io.minik8s.client.tls.ServingTls;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "api-server",
    mixinStandardHelpOptions = true,
    version = "minik8s api-server 0.1.0",
    description = {
        "The MiniK8s API server: validates and stores every object in etcd, and serves create, get,",
        "list, update, update-status, delete and watch over gRPC, with the binding and scale subresources.",
        "Serves /healthz, /readyz (etcd reachable) and Prometheus /metrics over HTTP.",
        "Serves mutual TLS: a caller is the user its client certificate names (CN user, O groups), or the user of",
        "its bearer token (--token-auth-file); one with neither is refused with UNAUTHENTICATED \"Unauthorized\".",
        "Every call is then authorized (Node, RBAC). Plain text only with --insecure-plaintext."})
public final class ApiServerMain implements Callable<Integer> {
  @Option(names = "--etcd-servers", split = ",", required = true, paramLabel = "HOST:PORT",
      description = "etcd endpoints, comma-separated (give every member: the api-server fails over).")
  List<String> etcdServers;

  @Option(names = "--bind-address", defaultValue = "0.0.0.0", description = "Address to listen on (default ${DEFAULT-VALUE}).")
  String bindAddress;

  @Option(names = "--secure-port", defaultValue = "6443", description = "gRPC port of the API (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--health-port", defaultValue = "8080", description = "HTTP port of /healthz, /readyz and /metrics (default ${DEFAULT-VALUE}).")
  int healthPort;

  @Option(names = "--watch-bookmark-interval", defaultValue = "30s",
      description = "How often watchers that allow bookmarks get one (default ${DEFAULT-VALUE}).")
  String bookmarkInterval;

  @Option(names = "--watch-cache-size", defaultValue = "10000",
      description = "Recent changes kept per resource for watches to resume from (default ${DEFAULT-VALUE}).")
  int watchCacheSize;

  @Option(names = "--watch-buffer-bytes", defaultValue = "" + ApiServer.Config.DEFAULT_WATCH_BUFFER_BYTES,
      description = {"Bytes of events one watch may have waiting for a slow client; past it the watch ends",
          "with \"too old resource version\" and the client lists again (default ${DEFAULT-VALUE})."})
  long watchBufferBytes;

  @Option(names = "--service-cluster-ip-range", defaultValue = "10.96.0.0/12",
      description = "The range Services' ClusterIPs come from (default ${DEFAULT-VALUE}).")
  String serviceClusterIpRange;

  @Option(names = "--service-node-port-range", defaultValue = "30000-32767",
      description = "The range of NodePorts (default ${DEFAULT-VALUE}).")
  String nodePortRange;

  @Option(names = "--event-ttl", defaultValue = "1h",
      description = "How long Events are kept after their last update; etcd removes them through a lease "
          + "(default ${DEFAULT-VALUE}).")
  String eventTtl;

  @Option(names = "--service-allocator-repair-interval", defaultValue = "3m",
      description = {"How often the ClusterIP and NodePort allocations are checked against the Services: leaked ones",
          "released (after one more pass), missing ones taken again; also at start (default ${DEFAULT-VALUE})."})
  String serviceAllocatorRepairInterval;

  @Option(names = "--token-auth-file", paramLabel = "FILE",
      description = {"Kubernetes' static token file: CSV lines token,user,uid,\"group1,group2\". Callers authenticate",
          "with the metadata \"authorization: Bearer TOKEN\"; others get UNAUTHENTICATED (401). With",
          "--insecure-plaintext and no token file every caller is an admin (development mode)."})
  Path tokenAuthFile;

  @Option(names = "--authorization-mode", split = ",", paramLabel = "MODE",
      description = {"Authorizers in order, comma-separated: Node, RBAC, AlwaysAllow. Default: Node,RBAC when",
          "authentication is configured, AlwaysAllow (development mode) when not."})
  List<String> authorizationModes = List.of();
  @Option(names = "--tls-cert-file", paramLabel = "FILE",
      description = "The api-server's serving certificate (PEM; mkctl pki init: DIR/apiserver.crt).")
  Path tlsCertFile;

  @Option(names = "--tls-private-key-file", paramLabel = "FILE", description = "The key of --tls-cert-file (PEM).")
  Path tlsKeyFile;

  @Option(names = "--client-ca-file", paramLabel = "FILE",
      description = {"The CA that signs client certificates: a caller presenting one signed by it is the user of its CN,",
          "in the groups of its O values (mkctl pki init: DIR/ca.crt)."})
  Path clientCaFile;

  @Option(names = "--kubelet-client-certificate", paramLabel = "FILE",
      description = "The api-server's client certificate toward the kubelets, for logs and exec (DIR/apiserver-kubelet-client.crt).")
  Path kubeletClientCert;

  @Option(names = "--kubelet-client-key", paramLabel = "FILE", description = "The key of --kubelet-client-certificate.")
  Path kubeletClientKey;

  @Option(names = "--kubelet-certificate-authority", paramLabel = "FILE",
      description = "The CA the kubelets' serving certificates must be signed by (default: --client-ca-file).")
  Path kubeletCa;

  @Option(names = "--insecure-plaintext",
      description = {"Serve plain text: with no --token-auth-file EVERY CALLER IS A SUPERUSER (system:masters), and the",
          "kubelets are reached in plain text too. Development only; the other components need the same flag."})
  boolean insecurePlaintext;

  @Override
  public Integer call() throws Exception {
    java.time.Duration ttl = Durations.parse(eventTtl);
    if (ttl.toSeconds() < 1) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--event-ttl must be at least 1s, not " + eventTtl);
    }
    String[] ports = nodePortRange.split("-");
    ApiServer.Config.Builder builder = ApiServer.Config.builder(etcdServers)
        .bindAddress(bindAddress)
        .ports(port, healthPort)
        .bookmarkInterval(Durations.parse(bookmarkInterval))
        .watchWindow(watchCacheSize)
        .serviceClusterIpRange(serviceClusterIpRange)
        .nodePortRange(Integer.parseInt(ports[0].trim()), Integer.parseInt(ports[1].trim()))
        .eventTtl(ttl)
        .watchBufferBytes(watchBufferBytes)
        .serviceAllocatorRepairInterval(Durations.parse(serviceAllocatorRepairInterval))
        .tokenAuthFile(tokenAuthFile)
        .authorizationModes(authorizationModes);
    security(builder);
    ApiServer.Config config = builder.build();
    ApiServer server = ApiServer.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
    server.awaitTermination();
    return 0;
  }

  /** TLS (the default, every file needed) or, only when asked for, plain text. */
  private void security(ApiServer.Config.Builder builder) {
    CommandLine cl = new CommandLine(this);
    if (insecurePlaintext) {
      if (tlsCertFile != null || tlsKeyFile != null || clientCaFile != null) {
        throw new CommandLine.ParameterException(cl, "--insecure-plaintext cannot be combined with the --tls-* and --client-ca-file flags");
      }
      builder.insecurePlaintext();
      return;
    }
    if (tlsCertFile == null || tlsKeyFile == null || clientCaFile == null
        || kubeletClientCert == null || kubeletClientKey == null) {
      throw new CommandLine.ParameterException(cl, "the api-server serves mutual TLS: give --tls-cert-file, "
          + "--tls-private-key-file, --client-ca-file, --kubelet-client-certificate and --kubelet-client-key "
          + "(mkctl pki init makes them), or --insecure-plaintext for development");
    }
    builder.tls(new ServingTls(tlsCertFile, tlsKeyFile, clientCaFile))
        .kubeletClientTls(ClientTls.mutual(kubeletCa != null ? kubeletCa : clientCaFile, kubeletClientCert, kubeletClientKey));
  }

  public static void main(String[] args) {
    System.setProperty("component", System.getProperty("component", "api-server"));
    System.exit(new CommandLine(new ApiServerMain()).execute(args));
  }
}
