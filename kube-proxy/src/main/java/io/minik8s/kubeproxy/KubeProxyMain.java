package io.minik8s.kubeproxy;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import io.minik8s.client.component.ClientTlsFlags;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "kube-proxy",
    mixinStandardHelpOptions = true,
    version = "minik8s kube-proxy 0.1.0",
    description = {
        "Gives every Service a stable address on this node: binds each ClusterIP on a local interface",
        "and proxies its TCP ports (and node ports) to ready endpoints with Netty, and answers cluster",
        "DNS (<svc>.<ns>.svc.cluster.local, <pod>.<svc>.<ns>.svc.cluster.local) on the cluster DNS address."})
public final class KubeProxyMain implements Callable<Integer> {
  @Mixin
  ClientTlsFlags tls;

  @Option(names = "--node-name", required = true, description = "The node this proxy serves (for logs).")
  String nodeName;

  @Option(names = "--api-servers", required = true, paramLabel = "HOST:PORT[,HOST:PORT...]",
      description = "The api-server address(es); several mean failover.")
  String apiServers;

  @Option(names = "--bind-address", defaultValue = "0.0.0.0", description = "Address of the health/metrics server (default ${DEFAULT-VALUE}).")
  String bindAddress;

  @Option(names = "--health-port", defaultValue = "10256", description = "HTTP port of /healthz, /readyz, /metrics (default ${DEFAULT-VALUE}).")
  int healthPort;

  @Option(names = "--cluster-domain", defaultValue = "cluster.local", description = "DNS domain of the cluster (default ${DEFAULT-VALUE}).")
  String clusterDomain;

  @Option(names = "--cluster-dns", defaultValue = "10.96.0.10", description = "Address the cluster DNS is served on (default ${DEFAULT-VALUE}).")
  String clusterDns;

  @Option(names = "--dns-port", defaultValue = "53", description = "Port of the cluster DNS (default ${DEFAULT-VALUE}).")
  int dnsPort;

  @Option(names = "--virtual-ip-device", defaultValue = "lo",
      description = "Interface ClusterIPs are bound on as /32 addresses (default ${DEFAULT-VALUE}; needs root).")
  String device;

  @Option(names = "--nodeport-addresses", split = ",", paramLabel = "CIDR",
      description = "Serve NodePorts only on the node's IPv4 addresses inside these blocks; loopback only if a block "
          + "holds it, e.g. 127.0.0.0/8 for a cluster on one host (default: every node address but loopback).")
  List<String> nodePortAddresses; // null when not given

  @Override
  public Integer call() throws Exception {
    KubeProxy proxy = KubeProxy.start(new KubeProxy.Config(nodeName, apiServers, bindAddress, healthPort,
        clusterDomain, clusterDns, dnsPort, new LoopbackIps(device),
        new NodePortAddresses(nodePortAddresses == null ? List.of() : nodePortAddresses, device)), tls.tls());
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      proxy.close();
      done.countDown();
    }, "shutdown"));
    done.await();
    return 0;
  }

  public static void main(String[] args) {
    System.setProperty("component", System.getProperty("component", "kube-proxy"));
    System.exit(new CommandLine(new KubeProxyMain()).execute(args));
  }
}
