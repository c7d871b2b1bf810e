package io.minik8s.kubelet;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import io.minik8s.client.component.ClientTlsFlags;
import io.minik8s.client.bootstrap.CaCertHash;
import io.minik8s.client.tls.ClientTls;
import io.minik8s.kubelet.bootstrap.TlsBootstrap;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import io.minik8s.client.component.Durations;
import io.minik8s.client.net.Hostname;
import io.minik8s.client.net.Ipv4Cidr;
import picocli.CommandLine.Option;

/** {@code bin/kubelet}: the node agent as a process. */
@Command(
    name = "kubelet",
    mixinStandardHelpOptions = true,
    version = "minik8s kubelet 0.1.0",
    description = {
        "The node agent: registers its Node, renews its Lease, and runs the pods bound to it on the",
        "Docker engine (a pause container holding each pod's IP, app containers joining it). Its",
        "pod-network agent routes every other node's pod CIDR via that node's InternalIP (host-gw)."})
public final class KubeletMain implements Callable<Integer> {
  @Mixin
  ClientTlsFlags tls; // the node's certificate (mkctl pki node) also serves the logs/exec port

  @Option(names = "--node-name", required = true, description = "The name of this node.")
  String nodeName;

  @Option(names = "--api-servers", defaultValue = "127.0.0.1:6443", description = "host:port[,host:port...] (default: ${DEFAULT-VALUE}).")
  String apiServers;

  @Option(names = "--docker-socket", defaultValue = KubeletConfig.DEFAULT_DOCKER_HOST, description = "The Docker engine (default: ${DEFAULT-VALUE}).")
  String dockerHost;

  @Option(names = "--pod-infra-container-image", defaultValue = KubeletConfig.DEFAULT_POD_INFRA_IMAGE,
      description = "The pause image of every pod's sandbox (default: ${DEFAULT-VALUE}).")
  String podInfraImage;

  @Option(names = "--address", defaultValue = "0.0.0.0", description = "The address the kubelet serves on (default: ${DEFAULT-VALUE}).")
  String bindAddress;

  @Option(names = "--port", defaultValue = "10250", description = "The kubelet's gRPC port for logs and exec (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--health-port", defaultValue = "10248", description = "/healthz, /readyz, /metrics (default: ${DEFAULT-VALUE}).")
  int healthPort;

  @Option(names = "--node-ip", description = "The node's InternalIP (default: the first non-loopback IPv4 address).")
  String nodeIp;

  @Option(names = "--root-dir", description = "Where pod volumes live (default: /var/lib/minik8s-kubelet/NODE).")
  Path rootDir;

  @Option(names = "--cluster-dns", defaultValue = KubeletConfig.DEFAULT_CLUSTER_DNS,
      description = "The cluster DNS address pods with dnsPolicy ClusterFirst use (default: ${DEFAULT-VALUE}; empty: the node's resolver).")
  String clusterDns;

  @Option(names = "--cluster-domain", defaultValue = KubeletConfig.DEFAULT_CLUSTER_DOMAIN,
      description = "The cluster's DNS domain, for pods' search path (default: ${DEFAULT-VALUE}).")
  String clusterDomain;

  @Option(names = "--pod-cidr-wait", defaultValue = "2m",
      description = "How long to wait at start for the controller-manager to give this node a pod CIDR; "
          + "after that Docker picks the pod subnet (default: ${DEFAULT-VALUE}).")
  String podCidrWait;

  @Option(names = "--allowed-host-path-prefixes", split = ",", paramLabel = "PATH", defaultValue = "/tmp,/var/tmp,/srv,/mnt,/data",
      description = "Where hostPath volumes of type DirectoryOrCreate or FileOrCreate may create a missing path "
          + "(symlinks resolved); elsewhere the pod's volume fails to mount. Which namespaces may use hostPath at all "
          + "is the api-server's Pod Security admission (default: ${DEFAULT-VALUE}).")
  List<Path> allowedHostPathPrefixes;

  @Option(names = "--cluster-cidr", defaultValue = KubeletConfig.DEFAULT_CLUSTER_CIDR,
      description = "The range of every node's pod CIDR, as the controller-manager's --cluster-cidr: pod traffic to "
          + "it keeps the pod's IP, traffic elsewhere is masqueraded (default: ${DEFAULT-VALUE}; empty: no masquerading).")
  String clusterCidr;

  @Option(names = "--bootstrap-token", paramLabel = "TOKEN",
      description = "Join with this bootstrap token (mkctl token create) instead of --ca-file/--cert-file/--key-file: "
          + "the kubelet reads the cluster CA from the api-server, checks it against --ca-cert-hash, makes its own key, "
          + "asks for a certificate for system:node:NAME with a CertificateSigningRequest, and keeps key and certificate "
          + "in ROOT-DIR/pki (used from then on, without the token).")
  String bootstrapToken;

  @Option(names = "--ca-cert-hash", paramLabel = "sha256:HEX",
      description = "With --bootstrap-token: the pin of the cluster CA (the SHA-256 of its public key, printed by "
          + "mkctl token create); a CA that does not match is refused.")
  String caCertHash;

  @Option(names = "--bootstrap-timeout", defaultValue = "5m", paramLabel = "DURATION",
      description = "How long to wait for the certificate to be signed when joining (default: ${DEFAULT-VALUE}).")
  String bootstrapTimeout;

  @Override
  public Integer call() throws Exception {
    if (!clusterCidr.isEmpty()) {
      try {
        Ipv4Cidr.parse(clusterCidr);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(new CommandLine(this), "--cluster-cidr: " + e.getMessage());
      }
    }
    String ip = nodeIp != null ? nodeIp : detectIp();
    Path root = rootDir != null ? rootDir : Path.of("/var/lib/minik8s-kubelet", nodeName);
    Kubelet kubelet = Kubelet.start(new KubeletConfig(nodeName, apiServers, dockerHost, podInfraImage, bindAddress,
        port, healthPort, ip, Hostname.local(), root, clusterDns, clusterDomain,
        Durations.parse(podCidrWait), allowedHostPathPrefixes, clusterCidr), clientTls(root));
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      kubelet.close();
      stop.countDown();
    }));
    stop.await();
    return 0;
  }

  /** The node's TLS: from --ca-file/--cert-file/--key-file, or obtained by joining with --bootstrap-token. */
  private ClientTls clientTls(Path root) throws Exception {
    if (bootstrapToken == null) {
      return tls.tls();
    }
    if (caCertHash == null) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--bootstrap-token needs --ca-cert-hash sha256:HEX (mkctl token create prints both): a node that does not pin "
              + "the CA can be handed a stranger's");
    }
    try {
      CaCertHash.parse(caCertHash);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
    }
    return new TlsBootstrap(root, nodeName, apiServers, Clock.systemUTC())
        .clientTls(bootstrapToken, caCertHash, Durations.parse(bootstrapTimeout));
  }

  private static String detectIp() throws SocketException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isLoopback() || !nic.isUp() || nic.getName().startsWith("docker") || nic.getName().startsWith("br-")
          || nic.getName().startsWith("veth")) {
        continue;
      }
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address) {
          return a.getHostAddress();
        }
      }
    }
    return "127.0.0.1";
  }

  public static void main(String[] args) {
    int code = new CommandLine(new KubeletMain()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }
}
