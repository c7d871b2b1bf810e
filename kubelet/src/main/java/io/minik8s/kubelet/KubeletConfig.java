package io.minik8s.kubelet;

import java.nio.file.Path;
import java.time.Duration;

/** Everything a kubelet is started with; the flags of {@link KubeletMain}. */
public record KubeletConfig(
    String nodeName,
    String apiServers,
    String dockerHost,
    String podInfraImage,
    String bindAddress,
    int port,
    int healthPort,
    String nodeIp,
    String hostname,
    Path rootDir,
    String clusterDns,
    String clusterDomain,
    Duration podCidrWait,
    String clusterCidr) {

  public static final String DEFAULT_CLUSTER_DNS = "10.96.0.10";
  public static final String DEFAULT_CLUSTER_DOMAIN = "cluster.local";
  /** The controller-manager's default --cluster-cidr, which the pod CIDRs are cut from. */
  public static final String DEFAULT_CLUSTER_CIDR = "10.244.0.0/16";

  /** Without waiting for a pod CIDR: the node's network takes whatever subnet it has at registration. */
  public KubeletConfig(String nodeName, String apiServers, String dockerHost, String podInfraImage, String bindAddress,
      int port, int healthPort, String nodeIp, String hostname, Path rootDir, String clusterDns, String clusterDomain) {
    this(nodeName, apiServers, dockerHost, podInfraImage, bindAddress, port, healthPort, nodeIp, hostname, rootDir,
        clusterDns, clusterDomain, Duration.ZERO, DEFAULT_CLUSTER_CIDR);
  }

  /** With the default cluster DNS address and domain. */
  public KubeletConfig(String nodeName, String apiServers, String dockerHost, String podInfraImage, String bindAddress,
      int port, int healthPort, String nodeIp, String hostname, Path rootDir) {
    this(nodeName, apiServers, dockerHost, podInfraImage, bindAddress, port, healthPort, nodeIp, hostname, rootDir,
        DEFAULT_CLUSTER_DNS, DEFAULT_CLUSTER_DOMAIN);
  }

  public static final String DEFAULT_POD_INFRA_IMAGE = "registry.k8s.io/pause:3.10";
  public static final String DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";

  /** How long start-up waits for the controller-manager to give the node a pod CIDR. */
  public KubeletConfig withPodCidrWait(Duration wait) {
    return new KubeletConfig(nodeName, apiServers, dockerHost, podInfraImage, bindAddress, port, healthPort, nodeIp,
        hostname, rootDir, clusterDns, clusterDomain, wait, clusterCidr);
  }

  /** The range of every node's pod CIDR: pod traffic to it is not masqueraded. */
  public KubeletConfig withClusterCidr(String cidr) {
    return new KubeletConfig(nodeName, apiServers, dockerHost, podInfraImage, bindAddress, port, healthPort, nodeIp,
        hostname, rootDir, clusterDns, clusterDomain, podCidrWait, cidr);
  }

  /** The Docker bridge network the node's pods get their IPs on. */
  public String networkName() {
    return "minik8s-" + nodeName;
  }
}
