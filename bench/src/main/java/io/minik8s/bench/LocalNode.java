package io.minik8s.bench;

import static io.minik8s.bench.Shell.docker;

import io.minik8s.kubelet.Kubelet;
import io.minik8s.kubelet.KubeletConfig;
import io.minik8s.kubelet.Labels;
import io.minik8s.kubelet.network.HostGwAgent;
import io.minik8s.kubelet.network.LinuxHostNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A kubelet in this process for one node on the real Docker engine. Closing it stops the kubelet
 * and removes every container, volume and the network it made (all labelled with the node's
 * name; other nodes on the same engine are left alone), the network's iptables rules, and its
 * root dir.
 */
final class LocalNode implements AutoCloseable {
  final String name;
  private final Path rootDir;
  private Kubelet kubelet;

  LocalNode(String name, String apiServers, io.minik8s.client.tls.ClientTls tls) throws Exception {
    this.name = name;
    this.rootDir = Files.createTempDirectory("minik8s-bench-kubelet-");
    try {
      kubelet = Kubelet.start(new KubeletConfig(name, apiServers, KubeletConfig.DEFAULT_DOCKER_HOST,
          KubeletConfig.DEFAULT_POD_INFRA_IMAGE, "127.0.0.1", 0, 0, "127.0.0.1", "localhost", rootDir), tls);
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  String network() {
    return "minik8s-" + name;
  }

  @Override
  public void close() throws Exception {
    if (kubelet != null) {
      kubelet.close();
      // the kubelet's rules for its pods: DOCKER-USER accept, masquerade out of the cluster CIDR
      HostGwAgent.removeRules(new LinuxHostNetwork(), kubelet.podSubnet(), kubelet.clusterCidr());
    }
    String label = "label=" + Labels.NODE + "=" + name;
    // A container may still be going away: try the network a few times.
    for (int attempt = 0; attempt < 20; attempt++) {
      for (String id : docker("ps", "-aq", "--filter", label).lines()) {
        docker("rm", "-f", "-v", id);
      }
      Shell.Result rm = docker("network", "rm", network());
      if (rm.exitCode() == 0 || rm.out().contains("not found") || rm.out().contains("No such network")) {
        break;
      }
      Thread.sleep(500);
    }
    for (String v : docker("volume", "ls", "-q", "--filter", label).lines()) {
      docker("volume", "rm", "-f", v);
    }
    try (Stream<Path> walk = Files.walk(rootDir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

}
