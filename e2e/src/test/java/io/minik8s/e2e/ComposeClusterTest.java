package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The one-host compose cluster (deploy/compose/one-host.yml) from the images up: deploy's scripts
 * build them (Docker's cache makes that seconds when they exist), {@code bin/minik8s compose-up}
 * starts the cluster and waits for the nodes, {@code bin/minik8s compose-down} removes it. Its own
 * compose project, image tag, pod CIDR and kubelet root, so nothing of a user's cluster is touched.
 */
class ComposeClusterTest extends OneHostClusterTest {
  static final String PROJECT = "minik8s-e2e";
  static final String IMAGE = "minik8s/minik8s:e2e";
  static final String CIDR = "10.250.0.0/16";

  ComposeClusterTest() throws Exception {}

  @Override
  Map<String, String> env() {
    return Map.of("MINIK8S_COMPOSE_PROJECT", PROJECT, "MINIK8S_IMAGE", IMAGE, "CLUSTER_CIDR", CIDR,
        "KUBELET_ROOT_DIR", scratch.toString(), "MINIK8S_NO_BUILD", "1", "MINIK8S_PKI", pkiDir().toString());
  }

  @Override
  String[] upCommand() {
    return new String[] {"bin/minik8s", "compose-up"};
  }

  @Override
  String[] downCommand() {
    return new String[] {"bin/minik8s", "compose-down"};
  }

  @Override
  List<Integer> etcdClientPorts() {
    return List.of(2379, 12379, 22379);
  }

  @Override
  String clusterCidr() {
    return CIDR;
  }

  @Override
  void prepare() throws Exception {
    // A run killed before its @AfterAll left the project up, holding the ports: take it down first.
    HostCommand.run(env(), Duration.ofMinutes(3), false, downCommand());
    // The base images (a jlink JRE, etcd) and the image with this build's jars; the node images
    // (pause, busybox, nginx) came from deploy/images/build-test-images.sh through TestImages.
    HostCommand.Result built = HostCommand.run(env(), Duration.ofMinutes(10), true, "deploy/build-images.sh");
    assertThat(built.exitCode()).as(built.toString()).isZero();
  }

  @Test
  @Order(1)
  void etcdctlInTheEtcdContainerSeesThreeHealthyMembers() throws Exception {
    HostCommand.Result health = HostCommand.run(env(), Duration.ofMinutes(1), false, "docker-compose", "-p", PROJECT,
        "-f", "deploy/compose/one-host.yml", "exec", "-T", "etcd0",
        "etcdctl", "--endpoints", "127.0.0.1:2379,127.0.0.1:12379,127.0.0.1:22379", "endpoint", "health");
    assertThat(health.exitCode()).as(health.toString()).isZero();
    assertThat(health.out().lines().filter(l -> l.contains("is healthy"))).as(health.out()).hasSize(3);
  }

  @Override
  void assertNothingOfItsOwnLeft() throws Exception {
    String project = "label=com.docker.compose.project=" + PROJECT;
    assertThat(HostCommand.output("docker", "ps", "-aq", "--filter", project)).as("containers of the project").isBlank();
    assertThat(HostCommand.output("docker", "network", "ls", "-q", "--filter", project)).as("networks of the project").isBlank();
    assertThat(HostCommand.output("docker", "volume", "ls", "-q", "--filter", project)).as("volumes of the project").isBlank();
    for (String node : NODES) {
      assertThat(scratch.resolve(node)).as("kubelet root of " + node).doesNotExist();
    }
  }
}
