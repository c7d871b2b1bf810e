package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.minik8s.api.Lease;
import io.minik8s.api.Namespace;
import io.minik8s.api.Node;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Container;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.Service;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
 * The cluster across several VMs, on the test bed of deploy/vms (bin/minik8s vms up): three VMs,
 * each a control plane (an etcd member and an api-server; the controller-manager and the scheduler
 * on vm1 and vm2), vm2 and vm3 also nodes, all from the compose files as on real VMs. One bed for
 * every test here, in order: bring-up, the nginx example through every node's address, a
 * control-plane VM crashed and brought back, one cut off the switch and healed, a node VM cut off.
 * Its own bed directory, names (mk8se2e-*), VM network (198.18.101.0/24), pod CIDR and image tag,
 * so a user's bed is never touched; a bed left by an interrupted run is removed first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiVmTest {
  static final String IMAGE = "minik8s/minik8s:e2e-vms";
  static final String CIDR = "10.252.0.0/16";
  static final String NET = "198.18.101";
  static final List<String> VMS = List.of("vm1", "vm2", "vm3");
  static final List<String> NODES = List.of("vm2", "vm3");
  static final List<String> COMPONENTS = List.of("api-server", "controller-manager", "scheduler", "kubelet", "kube-proxy", "mkctl");
  static final List<String> LEASES = List.of("kube-controller-manager", "kube-scheduler");
  static final Duration LEASE_DURATION = Duration.ofSeconds(15); // the components' --leader-elect-lease-duration
  static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);
  static final int NGINX_NODE_PORT = 30081;

  /** Measurements, printed at the end for the README. */
  final Map<String, String> measured = new LinkedHashMap<>();
  ApiClient client;

  static String ip(String vm) {
    return NET + "." + (10 + Integer.parseInt(vm.substring(2)));
  }

  static String apiServers(List<String> vms) {
    return vms.stream().map(vm -> ip(vm) + ":6443").collect(Collectors.joining(","));
  }

  /** The admin of the bed's PKI (vms up makes it in MINIK8S_VMS_HOME/pki). */
  static io.minik8s.client.tls.ClientTls admin() {
    return new io.minik8s.client.pki.ClusterPki(java.nio.file.Path.of("/tmp/minik8s-vms-e2e/pki"), java.time.Clock.systemUTC(),
        l -> { }).clientTls(io.minik8s.client.pki.ClusterPki.ADMIN);
  }

  static Map<String, String> env() {
    return Map.of("MINIK8S_VMS_HOME", "/tmp/minik8s-vms-e2e", "MINIK8S_VMS_PREFIX", "mk8se2e", "MINIK8S_VMS_NET", NET,
        "CLUSTER_CIDR", CIDR, "MINIK8S_IMAGE", IMAGE, "MINIK8S_NO_BUILD", "1");
  }

  static HostCommand.Result vms(boolean echo, String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = "deploy/vms/vms.sh";
    System.arraycopy(args, 0, command, 1, args.length);
    HostCommand.Result r = HostCommand.run(env(), Duration.ofMinutes(6), echo, command);
    assertThat(r.exitCode()).as("vms " + String.join(" ", args) + ": " + r).isZero();
    return r;
  }

  @BeforeAll
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void start() throws Exception {
    HostCommand.requireJars(COMPONENTS);
    TestImages.ensure();
    vms(true, "down"); // a bed left by a run killed before its @AfterAll
    HostCommand.Result built = HostCommand.run(Map.of("MINIK8S_IMAGE", IMAGE, "MINIK8S_NO_BUILD", "1"),
        Duration.ofMinutes(10), true, "deploy/build-images.sh");
    assertThat(built.exitCode()).as(built.toString()).isZero();
    long t0 = System.nanoTime();
    HostCommand.Result up = HostCommand.run(env(), Duration.ofMinutes(8), true, "bin/minik8s", "vms", "up",
        "--control-planes", "3", "--nodes", "2");
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertThat(up.exitCode()).as(up.toString()).isZero();
    measured.put("vms up -> every node Ready", String.format("%.0f s", seconds));
    client = ApiClient.connect(apiServers(VMS), admin());
  }

  @AfterAll
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    vms(true, "down");
    assertThat(HostCommand.output("ip", "netns", "list")).as("namespaces of the bed").doesNotContain("mk8se2e-");
    assertThat(HostCommand.output("ip", "-o", "link", "show")).as("the host's port on the switch").doesNotContain("mk8se2e-h0");
    assertThat(HostCommand.output("sh", "-c", "grep -c /tmp/minik8s-vms-e2e /proc/self/mounts || true").strip())
        .as("mounts of the bed").isEqualTo("0");
    assertThat(java.nio.file.Path.of("/tmp/minik8s-vms-e2e")).doesNotExist();
    measured.forEach((k, v) -> System.out.println("MultiVmTest measured: " + k + ": " + v));
  }

  @Test
  @Order(1)
  void everyNodeIsReadyAtItsVmAddressAndEtcdHasAMemberOnEachControlPlaneVm() throws Exception {
    List<Node> nodes = client.list(Resources.NODES, "", "");
    assertThat(nodes).extracting(n -> n.getMetadata().getName()).containsExactlyInAnyOrderElementsOf(NODES);
    for (Node n : nodes) {
      String name = n.getMetadata().getName();
      assertThat(n.getStatus().getConditionsList()).as(name).anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
      assertThat(n.getStatus().getAddressesList()).as(name).anyMatch(a -> a.getType().equals("InternalIP") && a.getAddress().equals(ip(name)));
      assertThat(n.getSpec().getPodCidr()).as(name).startsWith("10.252.");
    }
    assertThat(nodes.stream().map(n -> n.getSpec().getPodCidr()).distinct()).hasSize(NODES.size());
    try (Client etcd = Client.builder().endpoints(VMS.stream().map(vm -> "http://" + ip(vm) + ":2379").toArray(String[]::new)).build()) {
      assertThat(etcd.getClusterClient().listMember().get(10, TimeUnit.SECONDS).getMembers())
          .extracting(m -> m.getName()).containsExactlyInAnyOrderElementsOf(VMS);
    }
    // Each VM's engine is its own: its name is the VM's, its engine ID its own.
    List<String> ids = new ArrayList<>();
    for (String vm : VMS) {
      String info = vms(false, "docker", vm, "info", "-f", "{{.Name}} {{.ID}}").out().strip();
      assertThat(info).startsWith(vm + " ");
      ids.add(info.split(" ")[1]);
    }
    assertThat(ids).doesNotHaveDuplicates();
    String status = vms(true, "status").out();
    Matcher rss = Pattern.compile("(?m)^(vm\\d) .*RSS (\\d+) MB$").matcher(status);
    while (rss.find()) {
      measured.put("RSS of " + rss.group(1) + " (every process of the VM)", rss.group(2) + " MB");
    }
    assertThat(status).doesNotContain("not healthy");
  }

  @Test
  @Order(2)
  void theNginxExampleSpreadsOverBothNodesAndAnswersThroughEveryNodesAddress() throws Exception {
    String servers = apiServers(VMS);
    Mkctl.Result applied = Mkctl.runAs(admin(), servers, "apply", "-f", HostCommand.ROOT.resolve("examples/nginx-deployment.yaml").toString(),
        "-f", HostCommand.ROOT.resolve("examples/nginx-service.yaml").toString());
    assertThat(applied.exitCode()).as(applied.toString()).isZero();
    Mkctl.Result rolled = Mkctl.runAs(admin(), servers, "rollout", "status", "deployment/nginx-deployment", "--timeout", "150s");
    assertThat(rolled.exitCode()).as(rolled.toString()).isZero();
    List<Pod> pods = client.list(Resources.PODS, "default", "app=nginx");
    assertThat(pods).extracting(p -> p.getSpec().getNodeName()).containsAll(NODES);
    Service svc = client.get(Resources.SERVICES, "default", "nginx");
    assertThat(svc.getSpec().getPorts(0).getNodePort()).isEqualTo(NGINX_NODE_PORT);
    for (String node : NODES) {
      String page = Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
          .until(() -> ClusterEndToEndTest.httpGet(ip(node), NGINX_NODE_PORT), body -> body.contains("Welcome to nginx"));
      System.out.println("MultiVmTest: http://" + ip(node) + ":" + NGINX_NODE_PORT + "/ answered " + page.strip());
    }
  }

  @Test
  @Order(3)
  void aPodOnOneVmReachesAPodOnAnotherByPodIpAndTheServerSeesTheClientsPodIp() throws Exception {
    String ns = client.create(namespace("podnet")).getMetadata().getName();
    // busybox httpd -v logs the peer address of every request: what the server saw as the client.
    Pod server = client.create(pinnedPod(ns, "server", "vm2", "httpd -f -v -p 8080 -h /www 2>&1"));
    Pod caller = client.create(pinnedPod(ns, "client", "vm3", "sleep 3600"));
    String serverIp = podIp(ns, server.getMetadata().getName());
    String callerIp = podIp(ns, caller.getMetadata().getName());
    assertThat(serverIp).isNotEqualTo(callerIp).startsWith("10.252.");
    String servers = apiServers(VMS);
    String page = Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
        .until(() -> Mkctl.runAs(admin(), servers, "-n", ns, "exec", "client", "--", "sh", "-c",
            "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 " + serverIp + " 8080").out(), out -> out.contains("Welcome to nginx"));
    assertThat(page).contains("Welcome to nginx");
    String log = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
        .until(() -> Mkctl.runAs(admin(), servers, "-n", ns, "logs", "server").out(), out -> out.contains(callerIp));
    System.out.println("MultiVmTest: the server on vm2 saw: " + log.strip());
    assertThat(log).as("the server's log names the client's pod IP, not a node's address").contains(callerIp)
        .doesNotContain(NET + ".");
  }

  @Test
  @Order(4)
  void serviceNamesResolveFromAPodOnEveryNode() throws Exception {
    String ns = client.create(namespace("dns")).getMetadata().getName();
    String clusterIp = client.<Service>get(Resources.SERVICES, "default", "nginx").getSpec().getClusterIp();
    String servers = apiServers(VMS);
    for (String node : NODES) {
      client.create(pinnedPod(ns, "asker-" + node, node, "sleep 3600"));
    }
    for (String node : NODES) {
      podIp(ns, "asker-" + node);
      String answer = Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
          .until(() -> Mkctl.runAs(admin(), servers, "-n", ns, "exec", "asker-" + node, "--", "nslookup", "nginx.default.svc.cluster.local").out(),
              out -> out.contains(clusterIp));
      assertThat(answer).as("nslookup from a pod on " + node).contains("Address: " + clusterIp);
    }
  }

  static Pod pinnedPod(String namespace, String name, String node, String script) {
    return Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(namespace).setName(name))
        .setSpec(PodSpec.newBuilder().setNodeName(node).addContainers(Container.newBuilder().setName("app")
            .setImage(TestImages.BUSYBOX).addCommand("sh").addCommand("-c").addCommand(script)))
        .build();
  }

  String podIp(String namespace, String name) {
    return Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .until(() -> client.<Pod>get(Resources.PODS, namespace, name), p -> p.getStatus().getPhase().equals("Running")
            && !p.getStatus().getPodIp().isEmpty()).getStatus().getPodIp();
  }

  @Test
  @Order(5)
  void aCrashedControlPlaneVmLosesNoWriteItsLeadersAreReplacedInALeaseAndItRejoinsOnItsOwn() throws Exception {
    loseAControlPlaneVm("crash", "boot");
  }

  @Test
  @Order(6)
  void aPartitionedControlPlaneVmLosesNoWriteItsLeadersAreReplacedInALeaseAndItRejoinsOnItsOwn() throws Exception {
    loseAControlPlaneVm("partition", "heal");
  }

  /**
   * Takes away the VM that holds the controller-manager's lease (fault), and checks: writes go on
   * through the other two api-servers (two etcd members of three), every lease held on that VM
   * passes to a component elsewhere once the lease expired (within the lease duration plus the
   * renew deadline of the fault), and after the repair the VM's etcd member catches up and its api-server serves the
   * writes made while it was away, with no step of ours but the repair.
   */
  void loseAControlPlaneVm(String fault, String repair) throws Exception {
    Map<String, String> holders = leaseHolders();
    String lost = holders.get("kube-controller-manager").split("_")[0];
    assertThat(lost).isIn(VMS);
    List<String> others = VMS.stream().filter(vm -> !vm.equals(lost)).toList();
    long t0 = System.nanoTime();
    vms(true, fault, lost);
    boolean repaired = false;
    try (ApiClient survivors = ApiClient.connect(apiServers(others), admin());
        Client etcd = Client.builder().endpoints(others.stream().map(vm -> "http://" + ip(vm) + ":2379").toArray(String[]::new)).build()) {
      String written = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(() -> survivors.create(namespace("mv-" + fault)).getMetadata().getName(), n -> true);
      measured.put(fault + ": first write through the other api-servers after", since(t0));
      long revision = etcd.getMaintenanceClient().statusMember("http://" + ip(others.get(0)) + ":2379").get(10, TimeUnit.SECONDS)
          .getHeader().getRevision();

      // Every lease that was held on the lost VM has a holder elsewhere once it expired: the last
      // renewal came at most a retry period before the fault, a standby tries every retry period
      // (jittered), and on two loaded cores each call may take seconds; the renew deadline past the
      // lease duration bounds all that (26 s were measured before the client's keepalive fix).
      Duration limit = LEASE_DURATION.plus(RENEW_DEADLINE);
      for (String lease : LEASES) {
        if (holders.get(lease).startsWith(lost + "_")) {
          Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
              .until(() -> holder(survivors, lease), h -> h != null && !h.startsWith(lost + "_"));
          double took = (System.nanoTime() - t0) / 1e9;
          measured.put(fault + ": " + lease + " has a new leader after", String.format("%.1f s", took));
          assertThat(took).as(lease + " leader replaced after the " + fault + " of " + lost + " (limit " + limit + ")")
              .isLessThanOrEqualTo(limit.toSeconds());
        }
      }
      // Writes keep going while it is away, through a client given all three api-servers as well.
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(() -> client.create(namespace("mv-" + fault + "-all")) != null);
      measured.put(fault + ": a client of all three api-servers writes again (checked after the leases) after", since(t0));

      long t1 = System.nanoTime();
      vms(true, repair, lost);
      repaired = true;
      try (ApiClient rejoined = ApiClient.connect(ip(lost) + ":6443", admin());
          Client member = Client.builder().endpoints("http://" + ip(lost) + ":2379").build()) {
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
            .until(() -> member.getMaintenanceClient().statusMember("http://" + ip(lost) + ":2379").get(2, TimeUnit.SECONDS)
                .getHeader().getRevision() >= revision);
        measured.put(fault + ": " + lost + "'s etcd member caught up after the " + repair + " in", since(t1));
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
            .until(() -> httpStatus("http://" + ip(lost) + ":8080/readyz") == 200
                && rejoined.<Namespace>find(Resources.NAMESPACES, "", written).isPresent());
        measured.put(fault + ": " + lost + "'s api-server serves again after the " + repair + " in", since(t1));
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
            .until(() -> httpStatus("http://" + ip(lost) + ":10257/healthz") == 200
                && httpStatus("http://" + ip(lost) + ":10259/healthz") == 200);
        measured.put(fault + ": " + lost + "'s controller-manager and scheduler healthy again after the " + repair + " in", since(t1));
      }
    } finally {
      if (!repaired) {
        vms(true, repair, lost); // the next test needs the whole bed
      }
    }
    // The nodes saw the whole cluster through it.
    Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
        .until(() -> client.<Node>list(Resources.NODES, "", "").stream().allMatch(MultiVmTest::ready));
  }

  @Test
  @Order(7)
  void aNodeVmCutOffBecomesUnknownWithTheUnreachableTaintAndReadyAgainWhenItReturns() throws Exception {
    String lost = "vm3";
    long t0 = System.nanoTime();
    vms(true, "partition", lost);
    try (ApiClient survivors = ApiClient.connect(apiServers(List.of("vm1", "vm2")), admin())) {
      Node unknown = Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
          .until(() -> survivors.<Node>get(Resources.NODES, "", lost), n -> readyStatus(n).equals("Unknown")
              && n.getSpec().getTaintsList().stream().anyMatch(t -> t.getKey().equals("node.kubernetes.io/unreachable")
                  && t.getEffect().equals("NoExecute")));
      measured.put("node " + lost + " cut off: Unknown with the unreachable taint after", since(t0));
      assertThat(unknown.getSpec().getTaintsList()).extracting(t -> t.getKey()).contains("node.kubernetes.io/unreachable");
    } finally {
      vms(true, "heal", lost);
    }
    long t1 = System.nanoTime();
    Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .until(() -> client.<Node>get(Resources.NODES, "", lost), n -> ready(n)
            && n.getSpec().getTaintsList().stream().noneMatch(t -> t.getKey().equals("node.kubernetes.io/unreachable")));
    measured.put("node " + lost + " back: Ready without the taint after", since(t1));
  }

  static Namespace namespace(String prefix) {
    return Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder()
        .setName(prefix + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36))).build();
  }

  Map<String, String> leaseHolders() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String lease : LEASES) {
      out.put(lease, holder(client, lease));
    }
    return out;
  }

  static String holder(ApiClient c, String lease) {
    return c.<Lease>find(Resources.LEASES, "kube-system", lease).map(l -> l.getSpec().getHolderIdentity()).orElse(null);
  }

  static String readyStatus(Node n) {
    return n.getStatus().getConditionsList().stream().filter(c -> c.getType().equals("Ready")).map(c -> c.getStatus())
        .findFirst().orElse("");
  }

  static boolean ready(Node n) {
    return readyStatus(n).equals("True");
  }

  static int httpStatus(String url) throws Exception {
    HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
    c.setConnectTimeout(1000);
    c.setReadTimeout(2000);
    return c.getResponseCode();
  }

  static String since(long t0) {
    return String.format("%.1f s", (System.nanoTime() - t0) / 1e9);
  }
}
