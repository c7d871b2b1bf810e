package io.minik8s.kubelet.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import io.minik8s.client.net.Ipv4Cidr;
import io.minik8s.kubelet.Labels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's pod network: the Docker bridge network its pause containers join, on the node's pod
 * CIDR when it has one. Creating it may meet a network that a node which is gone left on the
 * same subnet; that one is taken off when nothing runs on it. The bridge does not masquerade
 * ({@value #NO_MASQUERADE}=false): a pod of another node must see a pod's own IP, and the
 * kubelet's pod-network agent masquerades only what leaves the cluster CIDR. A network an older
 * kubelet made with masquerading on is made again when nothing runs on it.
 *
 * <p>Docker can keep an endpoint whose container is gone (a removal that failed half-way in the
 * engine): {@code docker network inspect} lists it, by the container's name, and the network
 * cannot be removed. Such endpoints are taken off ({@code docker network disconnect -f}, which
 * finds them by name) at the kubelet's start and stop and before a network is removed.
 */
final class PodNetworks {
  private static final Logger log = LoggerFactory.getLogger(PodNetworks.class);

  static final String NO_MASQUERADE = "com.docker.network.bridge.enable_ip_masquerade";

  private final DockerClient docker;
  private final EndpointChanges endpoints;
  private final AtomicLong staleCleared = new AtomicLong();

  PodNetworks(DockerClient docker, EndpointChanges endpoints) {
    this.docker = docker;
    this.endpoints = endpoints;
  }

  long staleEndpointsCleared() {
    return staleCleared.get();
  }

  /** Takes off the network's endpoints whose container no longer exists; returns how many. */
  int clearStaleEndpoints(String name) {
    // With no endpoint change of ours in flight, an endpoint without a container is stale, not
    // one whose container is being created or removed right now.
    return endpoints.exclusive(() -> {
      Network network;
      try {
        network = docker.inspectNetworkCmd().withNetworkId(name).exec();
      } catch (NotFoundException e) {
        return 0;
      }
      Map<String, String> byKey = new java.util.HashMap<>();
      if (network.getContainers() != null) {
        network.getContainers().forEach((key, ep) -> byKey.put(key, ep.getName()));
      }
      if (byKey.isEmpty()) {
        return 0;
      }
      Set<String> ids = new HashSet<>();
      Set<String> names = new HashSet<>();
      for (Container c : docker.listContainersCmd().withShowAll(true).exec()) {
        ids.add(c.getId());
        for (String n : c.getNames() == null ? new String[0] : c.getNames()) {
          names.add(n.startsWith("/") ? n.substring(1) : n);
        }
      }
      int cleared = 0;
      for (String endpoint : stale(byKey, ids, names)) {
        try {
          docker.disconnectFromNetworkCmd().withNetworkId(network.getId()).withContainerId(endpoint).withForce(true).exec();
          staleCleared.incrementAndGet();
          cleared++;
          log.info("pod network {}: took off stale endpoint {} (its container is gone)", name, endpoint);
        } catch (DockerException e) {
          log.warn("pod network {}: could not take off stale endpoint {}: {}", name, endpoint, e.getMessage());
        }
      }
      return cleared;
    });
  }

  /**
   * The names of a network's stale endpoints: those (by key of {@code docker network inspect}'s
   * Containers: a container id, or "ep-" and the endpoint id for one without a sandbox) whose
   * container does not exist. One whose name a live container now has is left: a forced disconnect
   * by that name would take that container off instead.
   */
  static List<String> stale(Map<String, String> endpointNamesByKey, Set<String> containerIds, Set<String> containerNames) {
    List<String> out = new ArrayList<>();
    endpointNamesByKey.forEach((key, name) -> {
      if (!containerIds.contains(key) && name != null && !name.isEmpty() && !containerNames.contains(name)) {
        out.add(name);
      }
    });
    return out;
  }

  /** Removes a network whose stale endpoints were taken off (Docker refuses while it has any). */
  private void remove(Network network) {
    try {
      docker.removeNetworkCmd(network.getId()).exec();
    } catch (DockerException e) {
      if (String.valueOf(e.getMessage()).contains("active endpoints")) {
        throw new IllegalStateException("Docker network " + network.getName() + " cannot be removed: the engine "
            + "counts active endpoints but lists none (Docker 20.10 loses updates of that count under concurrent "
            + "endpoint changes; only a restart of dockerd recounts it)", e);
      }
      throw e;
    }
  }

  /** Creates the network unless it exists; returns the subnet it has. */
  String ensure(String name, String subnet, Map<String, String> labels) {
    boolean exists = docker.listNetworksCmd().withNameFilter(name).exec().stream()
        .anyMatch(n -> n.getName().equals(name));
    Network network = exists ? docker.inspectNetworkCmd().withNetworkId(name).exec() : null;
    if (network != null && masquerades(network)) {
      clearStaleEndpoints(name);
      if (idle(docker.inspectNetworkCmd().withNetworkId(name).exec())) {
        log.info("pod network {} masquerades its pods' traffic (made by an older kubelet): making it again without", name);
        remove(network);
        network = null;
      }
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
      if (owner != null && !owner.equals(ownNode)) {
        clearStaleEndpoints(n.getId()); // what a node that is gone left is no reason to keep its network
      }
      Network inspected = docker.inspectNetworkCmd().withNetworkId(n.getId()).exec();
      boolean idle = idle(inspected);
      if (owner == null || owner.equals(ownNode) || !idle) {
        throw new IllegalStateException("pod CIDR " + subnet + " overlaps Docker network " + n.getName() + " ("
            + (owner == null ? "not a MiniK8s node's" : idle ? "this node's" : "node " + owner + "'s, in use")
            + "); remove that network or give the cluster another --cluster-cidr");
      }
      log.info("removing network {} of node {}: it holds pod CIDR {} that is now this node's", n.getName(), owner, subnet);
      remove(inspected);
    }
  }
}
