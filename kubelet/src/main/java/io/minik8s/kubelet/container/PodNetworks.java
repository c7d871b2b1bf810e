package io.minik8s.kubelet.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Network;
import io.minik8s.client.net.Ipv4Cidr;
import io.minik8s.kubelet.Labels;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's pod network: the Docker bridge network its pause containers join, on the node's pod
 * CIDR when it has one. Creating it may meet a network that a node which is gone left on the
 * same subnet; that one is taken off when nothing runs on it. The bridge does not masquerade
 * ({@value #NO_MASQUERADE}=false): a pod of another node must see a pod's own IP, and the
 * kubelet's pod-network agent masquerades only what leaves the cluster CIDR. A network an older
 * kubelet made with masquerading on is made again when nothing runs on it.
 */
final class PodNetworks {
  private static final Logger log = LoggerFactory.getLogger(PodNetworks.class);

  static final String NO_MASQUERADE = "com.docker.network.bridge.enable_ip_masquerade";

  private final DockerClient docker;

  PodNetworks(DockerClient docker) {
    this.docker = docker;
  }

  /** Creates the network unless it exists; returns the subnet it has. */
  String ensure(String name, String subnet, Map<String, String> labels) {
    boolean exists = docker.listNetworksCmd().withNameFilter(name).exec().stream()
        .anyMatch(n -> n.getName().equals(name));
    Network network = exists ? docker.inspectNetworkCmd().withNetworkId(name).exec() : null;
    if (network != null && masquerades(network) && idle(network)) {
      log.info("pod network {} masquerades its pods' traffic (made by an older kubelet): making it again without", name);
      docker.removeNetworkCmd(network.getId()).exec();
      network = null;
    }
    if (network == null) {
      createReplacingStale(name, subnet, labels);
      network = docker.inspectNetworkCmd().withNetworkId(name).exec();
    }
    return network.getIpam().getConfig().stream().map(Network.Ipam.Config::getSubnet)
        .filter(s -> s != null && s.contains(".")).findFirst().orElse("");
  }

  private static boolean masquerades(Network network) {
    return network.getOptions() == null || !"false".equals(network.getOptions().get(NO_MASQUERADE));
  }

  private static boolean idle(Network network) {
    return network.getContainers() == null || network.getContainers().isEmpty();
  }

  private void createReplacingStale(String name, String subnet, Map<String, String> labels) {
    try {
      createNetwork(name, subnet, labels);
    } catch (DockerException e) {
      if (subnet == null || subnet.isEmpty() || !String.valueOf(e.getMessage()).contains("overlaps")) {
        throw e;
      }
      // The node IPAM controller gave this node the block, so no registered node holds it: a
      // network of another node on it was left behind by a node that is gone. Take it off when
      // nothing runs on it, and say which network is in the way when something does.
      removeStaleNetworksOverlapping(subnet, labels.get(Labels.NODE));
      createNetwork(name, subnet, labels);
    }
  }

  private void createNetwork(String name, String subnet, Map<String, String> labels) {
    var cmd = docker.createNetworkCmd().withName(name).withDriver("bridge").withLabels(labels)
        .withOptions(Map.of(NO_MASQUERADE, "false"));
    if (subnet != null && !subnet.isEmpty()) {
      cmd.withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(subnet)));
    }
    cmd.exec();
    log.info("created pod network {} ({})", name, subnet == null || subnet.isEmpty() ? "subnet chosen by Docker" : subnet);
  }

  private void removeStaleNetworksOverlapping(String subnet, String ownNode) {
    Ipv4Cidr wanted = Ipv4Cidr.parse(subnet);
    for (Network n : docker.listNetworksCmd().exec()) {
      boolean overlapping = n.getIpam() != null && n.getIpam().getConfig() != null && n.getIpam().getConfig().stream()
          .map(Network.Ipam.Config::getSubnet)
          .anyMatch(s -> s != null && s.contains(".") && Ipv4Cidr.parse(s).overlaps(wanted));
      if (!overlapping) {
        continue;
      }
      String owner = n.getLabels() == null ? null : n.getLabels().get(Labels.NODE);
      Network inspected = docker.inspectNetworkCmd().withNetworkId(n.getId()).exec();
      boolean idle = idle(inspected);
      if (owner == null || owner.equals(ownNode) || !idle) {
        throw new IllegalStateException("pod CIDR " + subnet + " overlaps Docker network " + n.getName() + " ("
            + (owner == null ? "not a MiniK8s node's" : idle ? "this node's" : "node " + owner + "'s, in use")
            + "); remove that network or give the cluster another --cluster-cidr");
      }
      log.info("removing network {} of node {}: it holds pod CIDR {} that is now this node's", n.getName(), owner, subnet);
      docker.removeNetworkCmd(n.getId()).exec();
    }
  }
}
