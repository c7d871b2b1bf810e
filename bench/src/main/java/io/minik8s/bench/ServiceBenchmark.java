package io.minik8s.bench;

import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.api.HTTPGetAction;
import io.minik8s.api.IntOrString;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.Probe;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.apiserver.ApiServer;
import io.minik8s.client.ApiClient;
import io.minik8s.client.pki.ClusterPki;
import io.minik8s.client.api.Resources;
import io.minik8s.controllermanager.ControllerManager;
import io.minik8s.kubelet.KubeletConfig;
import io.minik8s.kubeproxy.KubeProxy;
import io.minik8s.kubeproxy.RecordingIps;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/bench-service}: what the kube-proxy costs. One HTTP pod on a real node (kubelet on
 * Docker) behind a ClusterIP Service, all in this process with a three-member etcd, the
 * api-server and the controller-manager (for the Endpoints controller); then wrk first straight
 * at the pod IP, then at the ClusterIP, in the same run. Every wait is bounded by --timeout, every
 * wrk run by its duration; everything started is removed at the end, also on failure or Ctrl-C.
 */
@Command(name = "bench-service", mixinStandardHelpOptions = true,
    description = "Requests/s and latency percentiles of one HTTP pod through its Service's ClusterIP (the "
        + "kube-proxy) and directly at the pod IP, measured with wrk in one run, and their ratio. Needs root "
        + "(the ClusterIP is bound on lo), Docker, etcd and wrk.")
public final class ServiceBenchmark implements Callable<Integer> {
  private static final String NAME = "bench-http";
  private static final String DEFAULT_IMAGE = "nginx:1.15.4";
  /** The cluster DNS the kube-proxy serves here: its own loopback address, so as not to meet another cluster's. */
  private static final String DNS_ADDRESS = "127.0.0.153";

  @Option(names = {"-t", "--threads"}, defaultValue = "2", description = "wrk threads (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = {"-c", "--connections"}, defaultValue = "8",
      description = "wrk connections (default ${DEFAULT-VALUE}: below busybox httpd's listen backlog of 9).")
  int connections;

  @Option(names = {"-d", "--duration"}, defaultValue = "10", description = "Seconds of each measured wrk run, 1-300 (default ${DEFAULT-VALUE}).")
  int durationSeconds;

  @Option(names = "--warmup", defaultValue = "3",
      description = "Seconds of an unmeasured wrk run before each measured one, 0-60 (default ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(names = "--image", defaultValue = DEFAULT_IMAGE,
      description = "The pod's image: an HTTP server on port 80 (default ${DEFAULT-VALUE}, built locally by deploy/images/build-test-images.sh).")
  String image;

  @Option(names = "--wrk", defaultValue = "wrk", description = "The wrk binary (default ${DEFAULT-VALUE}).")
  String wrkBinary;

  @Option(names = "--timeout", defaultValue = "180", description = "Seconds the set-up may take at most (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  private final long started = System.nanoTime();

  public static void main(String[] args) {
    System.exit(new CommandLine(new ServiceBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (durationSeconds < 1 || durationSeconds > 300 || warmupSeconds < 0 || warmupSeconds > 60
        || threads < 1 || connections < threads) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "need 1 <= --duration <= 300, 0 <= --warmup <= 60, 1 <= --threads <= --connections");
    }
    Wrk wrk = new Wrk(wrkBinary, threads, connections);
    say("using " + wrk.version());
    ensureImages();
    String nodeName = "bench-svc-" + Long.toString(System.nanoTime() % 1_000_000, 36);
    try (Cleanup cleanup = new Cleanup()) {
      say("starting a 3-member etcd cluster");
      LocalEtcd etcd = cleanup.add("etcd", new LocalEtcd(3));
      ClusterPki pki = BenchPki.create(cleanup);
      ApiServer api = cleanup.add("api-server", ApiServer.start(BenchPki.apiServer(pki, etcd.endpoints())));
      String server = "127.0.0.1:" + api.port();
      ApiClient client = cleanup.add("api client", ApiClient.connect(server, pki.clientTls(ClusterPki.ADMIN)));
      say("api-server on " + server + "; starting the kubelet of node " + nodeName + " on Docker");
      // Before the controller-manager: the node has no podCIDR yet, so Docker picks a subnet that is
      // free on this host for the node's network (other clusters on this engine may hold 10.244.x.0/24).
      LocalNode node = cleanup.add("node " + nodeName, new LocalNode(nodeName, server, BenchPki.node(pki, nodeName)));
      say("starting the controller-manager (Endpoints controller) and the kube-proxy");
      cleanup.add("controller-manager", ControllerManager.start(ControllerManager.Options.defaults(server)
          .withLeaderElect(false).withHealthPort(0), pki.clientTls(ClusterPki.CONTROLLER_MANAGER)));
      RecordingIps lo = cleanup.add("Service addresses on lo", RecordingIps.onLoopback());
      cleanup.add("kube-proxy", KubeProxy.start(new KubeProxy.Config(nodeName, server, "127.0.0.1", 0,
          KubeletConfig.DEFAULT_CLUSTER_DOMAIN, DNS_ADDRESS, LocalEtcd.freePort(), lo,
          new io.minik8s.kubeproxy.NodePortAddresses(java.util.List.of("127.0.0.0/8"), "lo")), pki.clientTls(ClusterPki.KUBE_PROXY)));

      String clusterIp = unusedClusterIp();
      client.create(httpPod(node.name));
      client.create(service(clusterIp));
      say("pod default/" + NAME + " (" + image + ") on " + node.name + ", Service " + NAME + " at " + clusterIp
          + ":80; waiting for the pod to be Ready");
      Pod pod = awaitReadyPod(client);
      String podIp = pod.getStatus().getPodIp();
      say("pod Ready at " + podIp + " (network " + node.network() + "); waiting for its endpoint and the proxy");
      await("the endpoint " + podIp, () -> hasEndpoint(client, podIp));
      await("an answer through " + clusterIp + ":80", () -> answers(clusterIp));

      Wrk.Result direct = measure(wrk, "pod IP", podIp);
      Wrk.Result proxied = measure(wrk, "ClusterIP", clusterIp);
      report(direct, proxied);
      say("cleaning up (containers, network " + node.network() + ", " + clusterIp + " on lo, etcd)");
    }
    say("done");
    return 0;
  }

  private Wrk.Result measure(Wrk wrk, String what, String ip) throws Exception {
    String url = "http://" + ip + ":80/";
    if (warmupSeconds > 0) {
      say(String.format("%s: warming up for %ds (%s)", what, warmupSeconds, url));
      wrk.measure(url, warmupSeconds);
    }
    say(String.format("%s: wrk -t%d -c%d -d%ds --latency %s", what, threads, connections, durationSeconds, url));
    Wrk.Result r = wrk.measure(url, durationSeconds);
    say(String.format("%s: %.1f requests/s, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms (%d requests, %d socket errors, %d non-2xx)",
        what, r.requestsPerSecond(), r.p50(), r.p90(), r.p99(), r.requests(), r.socketErrors(), r.non2xx()));
    return r;
  }

  private void report(Wrk.Result direct, Wrk.Result proxied) {
    say("results (one pod, wrk from this host; busybox httpd closes after each answer, so every request is a new connection):");
    say(String.format("  %-10s %12s %9s %9s %9s %10s %7s", "target", "requests/s", "p50 ms", "p90 ms", "p99 ms", "requests", "errors"));
    for (String what : new String[] {"pod IP", "ClusterIP"}) {
      Wrk.Result r = what.equals("pod IP") ? direct : proxied;
      say(String.format("  %-10s %12.1f %9.2f %9.2f %9.2f %10d %7d", what, r.requestsPerSecond(), r.p50(), r.p90(),
          r.p99(), r.requests(), r.socketErrors() + r.non2xx()));
    }
    say(String.format("  ratio ClusterIP / pod IP: requests/s %.2f; latency p50 %.2f, p90 %.2f, p99 %.2f",
        proxied.requestsPerSecond() / direct.requestsPerSecond(), proxied.p50() / direct.p50(),
        proxied.p90() / direct.p90(), proxied.p99() / direct.p99()));
  }

  private Pod httpPod(String nodeName) {
    Container c = Container.newBuilder().setName("http").setImage(image)
        .addPorts(ContainerPort.newBuilder().setContainerPort(80))
        .setReadinessProbe(Probe.newBuilder().setPeriodSeconds(1)
            .setHttpGet(HTTPGetAction.newBuilder().setPath("/").setPort(IntOrString.newBuilder().setIntVal(80))))
        .build();
    return Pod.newBuilder().setApiVersion("v1").setKind("Pod")
        .setMetadata(ObjectMeta.newBuilder().setNamespace("default").setName(NAME).putLabels("app", NAME))
        .setSpec(PodSpec.newBuilder().setNodeName(nodeName).addContainers(c).setTerminationGracePeriodSeconds(2))
        .build();
  }

  private static Service service(String clusterIp) {
    return Service.newBuilder().setApiVersion("v1").setKind("Service")
        .setMetadata(ObjectMeta.newBuilder().setNamespace("default").setName(NAME))
        .setSpec(ServiceSpec.newBuilder().setClusterIp(clusterIp).putSelector("app", NAME)
            .addPorts(ServicePort.newBuilder().setPort(80).setTargetPort(IntOrString.newBuilder().setIntVal(80))))
        .build();
  }

  /**
   * A ClusterIP from the default range (past the 16 kept for fixed addresses) that nothing on this
   * host has on lo: the proxies of other clusters here listen with SO_REUSEPORT and would share it.
   */
  private static String unusedClusterIp() throws IOException, InterruptedException {
    String bound = Shell.run(Duration.ofSeconds(10), "ip", "-4", "-o", "addr", "show", "dev", "lo").out();
    for (int attempt = 0; attempt < 100; attempt++) {
      int offset = ThreadLocalRandom.current().nextInt(16, (1 << 20) - 1);
      String ip = "10." + (96 + (offset >> 16)) + "." + ((offset >> 8) & 0xff) + "." + (offset & 0xff);
      if (!bound.contains(" " + ip + "/")) {
        return ip;
      }
    }
    throw new IllegalStateException("no free ClusterIP found");
  }

  private Pod awaitReadyPod(ApiClient client) throws InterruptedException {
    await("pod " + NAME + " Ready", () -> client.<Pod>find(Resources.PODS, "default", NAME).filter(p ->
        !p.getStatus().getPodIp().isEmpty() && p.getStatus().getConditionsList().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"))).isPresent());
    return client.get(Resources.PODS, "default", NAME);
  }

  private static boolean hasEndpoint(ApiClient client, String podIp) {
    return client.<Endpoints>find(Resources.ENDPOINTS, "default", NAME).stream()
        .flatMap(e -> e.getSubsetsList().stream())
        .flatMap(s -> s.getAddressesList().stream())
        .map(EndpointAddress::getIp)
        .anyMatch(podIp::equals);
  }

  /** One GET / on a connection of its own: does it answer 200? */
  private static boolean answers(String ip) {
    try (Socket s = new Socket(ip, 80)) {
      s.setSoTimeout(2000);
      s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return response.startsWith("HTTP/1.") && response.contains(" 200 ");
    } catch (IOException e) {
      return false;
    }
  }

  /** Polls {@code condition} every 200 ms, at most --timeout seconds from the start of the run. */
  private void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = started + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (!safely(condition)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeoutSeconds + " s waiting for " + what);
      }
      Thread.sleep(200);
    }
  }

  private static boolean safely(BooleanSupplier condition) {
    try {
      return condition.getAsBoolean();
    } catch (RuntimeException e) {
      return false; // the api-server or the pod may not answer yet
    }
  }

  /**
   * The pause image and the default pod image, built from the host's busybox when missing (no
   * registry here). Another --image is the kubelet's to find or pull.
   */
  private void ensureImages() throws IOException, InterruptedException {
    String wanted = image.equals(DEFAULT_IMAGE) ? image : KubeletConfig.DEFAULT_POD_INFRA_IMAGE;
    if (Shell.docker("image", "inspect", KubeletConfig.DEFAULT_POD_INFRA_IMAGE, wanted).exitCode() == 0) {
      return;
    }
    Path script = Path.of(System.getenv().getOrDefault("MINIK8S_HOME", "."), "deploy", "images", "build-test-images.sh");
    if (!Files.isExecutable(script)) {
      throw new IllegalStateException("images " + KubeletConfig.DEFAULT_POD_INFRA_IMAGE + " and " + wanted
          + " are missing, and there is no " + script + " to build them");
    }
    say("building the node images with " + script);
    List<String> cmd = List.of(script.toString());
    say(Shell.run(Duration.ofMinutes(5), cmd).orThrow(cmd).lines().getLast());
  }

  private void say(String line) {
    System.out.printf("bench-service [%5.1fs]: %s%n", (System.nanoTime() - started) / 1e9, line);
    System.out.flush();
  }
}
