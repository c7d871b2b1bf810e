package io.minik8s.e2e;


import io.minik8s.api.Container;
import io.minik8s.api.ContainerStatus;
import io.minik8s.api.Namespace;
import io.minik8s.api.Node;
import io.minik8s.api.NodeSpec;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import io.minik8s.kubelet.Kubelet;
import io.minik8s.kubelet.KubeletConfig;
import io.minik8s.kubelet.Labels;
import io.minik8s.kubelet.network.HostGwAgent;
import io.minik8s.kubelet.network.LinuxHostNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A kubelet for one test class: a unique node name, its own root dir and Docker network, and
 * cleanup of every container, network and volume labelled with that node.
 */
final class KubeletFixture implements AutoCloseable {
  final ControlPlane cp = ControlPlane.shared();
  final ApiClient client = cp.client;
  final String node;
  final String namespace;
  final Path rootDir;
  Kubelet kubelet;
  private Duration podCidrWait = Duration.ZERO;
  private String clusterCidr = KubeletConfig.DEFAULT_CLUSTER_CIDR;

  KubeletFixture(String prefix) throws Exception {
    TestImages.ensure();
    String suffix = Long.toString(System.nanoTime() % 1_000_000, 36);
    this.node = prefix + "-" + suffix;
    this.namespace = prefix + "-" + suffix;
    this.rootDir = Files.createTempDirectory("kubelet-" + node);
    client.create(Namespace.newBuilder().setApiVersion("v1").setKind("Namespace")
        .setMetadata(ObjectMeta.newBuilder().setName(namespace)).build());
  }

  KubeletConfig config() {
    return new KubeletConfig(node, cp.server(), KubeletConfig.DEFAULT_DOCKER_HOST, KubeletConfig.DEFAULT_POD_INFRA_IMAGE,
        "127.0.0.1", 0, 0, "127.0.0.1", "localhost", rootDir);
  }

  /** Lets the fixture's namespace run pods that use the node (hostPath...): Pod Security's privileged level. */
  KubeletFixture privilegedNamespace() {
    Namespace ns = client.get(Resources.NAMESPACES, "", namespace);
    client.update(ns.toBuilder().setMetadata(ns.getMetadata().toBuilder()
        .putLabels("pod-security.kubernetes.io/enforce", "privileged")).build());
    return this;
  }

  /** Start-up waits for the controller-manager's pod CIDR, as a kubelet of a whole cluster does. */
  KubeletFixture withPodCidr() {
    podCidrWait = Duration.ofMinutes(1);
    return this;
  }

  /**
   * The Node registered beforehand with this pod CIDR, as the controller-manager's IPAM would give
   * it, and the kubelet told the cluster CIDR it is cut from.
   */
  KubeletFixture withPodCidr(String cidr, String clusterCidr) {
    client.create(Node.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(node))
        .setSpec(NodeSpec.newBuilder().setPodCidr(cidr).addPodCidrs(cidr)).build());
    this.clusterCidr = clusterCidr;
    return this;
  }

  KubeletFixture start() throws Exception {
    kubelet = Kubelet.start(config().withPodCidrWait(podCidrWait).withClusterCidr(clusterCidr), TestPki.shared().node(node));
    return this;
  }

  static Pod pod(String name, String restartPolicy, Container... containers) {
    return Pod.newBuilder().setApiVersion("v1").setKind("Pod")
        .setMetadata(ObjectMeta.newBuilder().setName(name))
        .setSpec(PodSpec.newBuilder().setRestartPolicy(restartPolicy).addAllContainers(List.of(containers)))
        .build();
  }

  static Container sh(String name, String script) {
    return Container.newBuilder().setName(name).setImage(TestImages.BUSYBOX)
        .addCommand("sh").addCommand("-c").addCommand(script).build();
  }

  Pod create(Pod pod) {
    return client.create(pod.toBuilder().setMetadata(pod.getMetadata().toBuilder().setNamespace(namespace))
        .setSpec(pod.getSpec().toBuilder().setNodeName(node)).build());
  }

  Optional<Pod> find(String name) {
    return client.find(Resources.PODS, namespace, name);
  }

  Pod get(String name) {
    return client.get(Resources.PODS, namespace, name);
  }

  Pod await(String name, Duration timeout, Predicate<Pod> condition) {
    org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .until(() -> condition.test(get(name)));
    return get(name);
  }

  static ContainerStatus status(Pod pod, String container) {
    return pod.getStatus().getContainerStatusesList().stream().filter(c -> c.getName().equals(container))
        .findFirst().orElse(ContainerStatus.getDefaultInstance());
  }

  static boolean running(Pod pod) {
    return pod.getStatus().getPhase().equals("Running")
        && pod.getStatus().getContainerStatusesList().stream().allMatch(c -> c.getState().hasRunning());
  }

  /** Ids of the containers this node's kubelet labelled, running or not. */
  List<String> containerIds(boolean all) throws Exception {
    Process p = new ProcessBuilder("docker", "ps", "-q", "--no-trunc", all ? "-a" : "-q", "--filter",
        "label=" + Labels.NODE + "=" + node).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  static String docker(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("docker"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }

  /** docker exec output (empty when the command printed nothing). */
  String exec(String containerId, String... command) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("exec", containerId));
    args.addAll(List.of(command));
    return docker(args.toArray(String[]::new)).strip();
  }

  @Override
  public void close() throws Exception {
    if (kubelet != null) {
      kubelet.close();
      HostGwAgent.removeRules(new LinuxHostNetwork(), kubelet.podSubnet(), kubelet.clusterCidr());
    }
    for (String id : containerIds(true)) {
      docker("rm", "-f", "-v", id);
    }
    // A pod container may still be going away: try the network a few times.
    for (int i = 0; i < 10 && docker("network", "rm", "minik8s-" + node).contains("Error"); i++) {
      for (String id : containerIds(true)) {
        docker("rm", "-f", "-v", id);
      }
      Thread.sleep(500);
    }
    for (String v : docker("volume", "ls", "-q", "--filter", "label=" + Labels.NODE + "=" + node).lines().toList()) {
      if (!v.isBlank()) {
        docker("volume", "rm", "-f", v.strip());
      }
    }
    new ProcessBuilder("rm", "-rf", rootDir.toString()).start().waitFor();
    // The Node would otherwise stay registered, Ready as last reported, for every later test.
    client.find(Resources.NODES, "", node).ifPresent(n -> client.delete(Resources.NODES, "", node));
    client.find(Resources.LEASES, "kube-node-lease", node).ifPresent(l -> client.delete(Resources.LEASES, "kube-node-lease", node));
  }
}
