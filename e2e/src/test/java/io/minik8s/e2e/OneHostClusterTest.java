package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.minik8s.api.Node;
import io.minik8s.api.Service;
import io.minik8s.client.ApiClient;
import io.minik8s.client.pki.ClusterPki;
import io.minik8s.client.tls.ClientTls;
import io.minik8s.client.api.Resources;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * A whole cluster brought up on this host by the command a user runs (three etcd members, the
 * control plane, nodes node-1 and node-2), used as the README says, and taken down. Its fixed
 * ports (etcd, 6443, 8080, 102xx-104xx, NodePort 30081) lie below the ephemeral range the other
 * tests' random ports come from, and each subclass gives its cluster a pod CIDR no other test uses.
 * Whatever starts is taken down in {@link #stop()}, even when start-up failed half way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class OneHostClusterTest {
  static final String API = "127.0.0.1:6443";
  static final List<String> NODES = List.of("node-1", "node-2");
  static final List<String> COMPONENTS = List.of("api-server", "controller-manager", "scheduler", "kubelet", "kube-proxy", "mkctl");
  static final int NGINX_NODE_PORT = 30081; // examples/nginx-service.yaml

  /** The cluster's state on this host (MINIK8S_HOME, or the kubelets' root dir), removed at the end. */
  final Path scratch;
  private boolean started;
  private boolean stopped;
  ApiClient client;

  OneHostClusterTest() throws IOException {
    scratch = Files.createTempDirectory("minik8s-" + getClass().getSimpleName() + "-");
  }

  /** Environment of every bin/minik8s call: ports, pod CIDR, state folders; never a Maven build. */
  abstract Map<String, String> env();

  abstract String[] upCommand();

  abstract String[] downCommand();

  /** The clients ports of the three etcd members. */
  abstract List<Integer> etcdClientPorts();

  /** The pod CIDR the controller-manager was given (each node gets a /24 of it). */
  abstract String clusterCidr();

  /** The first two octets of the pod CIDR and a dot, e.g. {@code 10.250.}: what its nodes' subnets start with. */
  String podCidrPrefix() {
    String cidr = clusterCidr();
    return cidr.substring(0, cidr.indexOf('.', cidr.indexOf('.') + 1) + 1);
  }

  /** The cluster PKI the start command made (it makes one when missing): every call goes over mutual TLS. */
  Path pkiDir() {
    return scratch.resolve("pki");
  }

  /** The admin of this cluster's PKI (system:masters). */
  ClientTls admin() {
    return new ClusterPki(pkiDir(), java.time.Clock.systemUTC(), l -> { }).clientTls(ClusterPki.ADMIN);
  }

  /** Images and the like the start command needs, before the clock starts. */
  void prepare() throws Exception {}

  /** What only this kind of cluster could leave behind (compose project resources, pid files...). */
  abstract void assertNothingOfItsOwnLeft() throws Exception;

  // Longer than the 5-minute default: images may be built (up to 10 minutes), then `up` (up to 6).
  @BeforeAll
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  void start() throws Exception {
    HostCommand.requireJars(COMPONENTS);
    TestImages.ensure();
    prepare();
    started = true; // from here on, stop() takes down whatever came up
    long t0 = System.nanoTime();
    HostCommand.Result up = HostCommand.run(env(), Duration.ofMinutes(6), true, upCommand());
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertThat(up.exitCode()).as(up.toString()).isZero();
    Matcher said = Pattern.compile("node\\(s\\) Ready in \\d+s").matcher(up.out());
    System.out.printf("%s: both nodes Ready %.1f s after `%s` started (it says: %s)%n", getClass().getSimpleName(),
        seconds, String.join(" ", upCommand()), said.find() ? said.group() : "?");
    client = ApiClient.connect(API, admin());
  }

  @AfterAll
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    try {
      if (started && !stopped) {
        HostCommand.run(env(), Duration.ofMinutes(3), true, downCommand());
      }
    } finally {
      HostCommand.output("rm", "-rf", scratch.toString());
    }
  }

  @Test
  @Order(1)
  void threeEtcdMembersAreHealthy() throws Exception {
    for (int port : etcdClientPorts()) {
      HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/health").toURL().openConnection();
      c.setConnectTimeout(2000);
      c.setReadTimeout(5000);
      assertThat(new String(c.getInputStream().readAllBytes())).as("etcd on port " + port).contains("\"health\":\"true\"");
    }
    try (Client etcd = Client.builder()
        .endpoints(etcdClientPorts().stream().map(p -> "http://127.0.0.1:" + p).toArray(String[]::new)).build()) {
      assertThat(etcd.getClusterClient().listMember().get(10, TimeUnit.SECONDS).getMembers()).hasSize(3);
    }
  }

  @Test
  @Order(2)
  void bothNodesAreReadyWithAPodCidrOfTheirOwn() {
    List<Node> nodes = client.list(Resources.NODES, "", "");
    assertThat(nodes).extracting(n -> n.getMetadata().getName()).containsExactlyInAnyOrderElementsOf(NODES);
    String prefix = podCidrPrefix();
    for (Node n : nodes) {
      assertThat(n.getStatus().getConditionsList()).as(n.getMetadata().getName())
          .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
      assertThat(n.getSpec().getPodCidr()).as(n.getMetadata().getName()).startsWith(prefix);
    }
    assertThat(nodes.stream().map(n -> n.getSpec().getPodCidr()).distinct()).hasSize(NODES.size());
  }

  @Test
  @Order(3)
  void theNginxExampleRollsOutAndAnswersThroughItsNodePortOnLoopback() throws Exception {
    String deployment = HostCommand.ROOT.resolve("examples/nginx-deployment.yaml").toString();
    String service = HostCommand.ROOT.resolve("examples/nginx-service.yaml").toString();
    Mkctl.Result applied = Mkctl.runAs(admin(), API, "apply", "-f", deployment, "-f", service);
    assertThat(applied.exitCode()).as(applied.toString()).isZero();
    Mkctl.Result rolled = Mkctl.runAs(admin(), API, "rollout", "status", "deployment/nginx-deployment", "--timeout", "180s");
    assertThat(rolled.exitCode()).as(rolled.toString()).isZero();
    assertThat(rolled.out()).contains("successfully rolled out");
    Service svc = client.get(Resources.SERVICES, "default", "nginx");
    assertThat(svc.getSpec().getPorts(0).getNodePort()).isEqualTo(NGINX_NODE_PORT);
    String page = Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .until(() -> ClusterEndToEndTest.httpGet("127.0.0.1", NGINX_NODE_PORT), body -> body.contains("Welcome to nginx"));
    System.out.println(getClass().getSimpleName() + ": http://127.0.0.1:" + NGINX_NODE_PORT + "/ answered " + page.strip());
  }

  @Test
  @Order(100) // last: subclasses put their own tests of the running cluster before it
  void downLeavesNoContainerNetworkVolumeOrServiceAddressBehind() throws Exception {
    stopped = true;
    HostCommand.Result down = HostCommand.run(env(), Duration.ofMinutes(3), true, downCommand());
    assertThat(down.exitCode()).as(down.toString()).isZero();
    for (String node : NODES) {
      String label = "label=io.minik8s.node=" + node;
      assertThat(HostCommand.output("docker", "ps", "-aq", "--filter", label)).as("containers of " + node).isBlank();
      assertThat(HostCommand.output("docker", "network", "ls", "-q", "--filter", label)).as("networks of " + node).isBlank();
      assertThat(HostCommand.output("docker", "volume", "ls", "-q", "--filter", label)).as("volumes of " + node).isBlank();
    }
    assertThat(HostCommand.output("ip", "-4", "-o", "addr", "show", "dev", "lo")).as("Service addresses on lo")
        .doesNotContain("/32");
    String prefix = podCidrPrefix();
    assertThat(HostCommand.output("iptables", "-w", "5", "-S", "DOCKER-USER")).as("the kubelets' DOCKER-USER rules")
        .doesNotContain("-d " + prefix);
    assertNothingOfItsOwnLeft();
  }
}
