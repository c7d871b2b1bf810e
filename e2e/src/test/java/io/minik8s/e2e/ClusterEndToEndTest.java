package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentSpec;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.api.EnvVar;
import io.minik8s.api.HTTPGetAction;
import io.minik8s.api.IntOrString;
import io.minik8s.api.LabelSelector;
import io.minik8s.api.ListResponse;
import io.minik8s.api.Node;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.PersistentVolumeClaim;
import io.minik8s.api.PersistentVolumeClaimSpec;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.api.Probe;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.ReplicaSetSpec;
import io.minik8s.api.ResourceRequirements;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.api.StatefulSet;
import io.minik8s.api.StatefulSetSpec;
import io.minik8s.api.Taint;
import io.minik8s.api.Toleration;
import io.minik8s.api.VolumeMount;
import io.minik8s.api.WatchEvent;
import io.minik8s.api.WatchRequest;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.Resources;
import io.minik8s.kubeproxy.KubeProxy;
import io.minik8s.kubeproxy.RecordingIps;
import io.minik8s.scheduler.SchedulerServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole cluster at work: the controller-manager, the scheduler and two kubelets on the real
 * Docker engine. The two nodes are tainted for this test's pods only, so that objects other tests
 * left behind never run here. One cluster serves every case; the last one stops a kubelet.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterEndToEndTest {
  static final String TAINT = "e2e-cluster";
  /** This one-host cluster's node address is 127.0.0.1: NodePorts on loopback must be asked for, as bin/minik8s does. */
  static final io.minik8s.kubeproxy.NodePortAddresses ONE_HOST_NODE_PORTS =
      new io.minik8s.kubeproxy.NodePortAddresses(java.util.List.of("127.0.0.0/8"), "lo");
  static ControllerHarness h;
  static SchedulerServer scheduler;
  static KubeletFixture nodeA;
  static KubeletFixture nodeB;
  static ApiClient client;
  static String ns;
  static RecordingIps lo;
  static KubeProxy proxy;
  static boolean frontendApplied;

  @BeforeAll
  static void start() throws Exception {
    TestImages.ensure();
    // Nodes go Unknown after 25 s without a lease (kubelets renew every 10 s); pods then get 5 s.
    h = new ControllerHarness(Duration.ofSeconds(25), Duration.ofSeconds(1), 5);
    client = h.client;
    nodeA = new KubeletFixture("cl-a").withPodCidr().start();
    nodeB = new KubeletFixture("cl-b").withPodCidr().start();
    for (KubeletFixture f : List.of(nodeA, nodeB)) {
      ControllerHarness.await().ignoreExceptions().until(() -> {
        Node n = client.get(Resources.NODES, "", f.node);
        client.update(n.toBuilder().setSpec(n.getSpec().toBuilder()
            .addTaints(Taint.newBuilder().setKey(TAINT).setValue("true").setEffect("NoSchedule"))).build());
        return true;
      });
    }
    // Only now the scheduler: pending pods other tests left behind must not land on the nodes
    // in the moment before they are tainted.
    scheduler = SchedulerServer.start(SchedulerServer.Config.defaults(h.cp.server()), TestPki.shared().scheduler());
    ns = h.namespace("cluster");
    // One node proxy serves the Services and the cluster DNS (10.96.0.10:53) for every case.
    lo = RecordingIps.onLoopback();
    proxy = KubeProxy.start(new KubeProxy.Config("cluster-proxy", h.cp.server(), "127.0.0.1", 0,
        "cluster.local", "10.96.0.10", 53, lo, ONE_HOST_NODE_PORTS), TestPki.shared().kubeProxy());
  }

  @AfterAll
  static void stop() throws Exception {
    if (frontendApplied) {
      client.find(Resources.REPLICA_SETS, "default", "frontend").ifPresent(r -> client.delete(Resources.REPLICA_SETS, "default", "frontend"));
      client.find(Resources.SERVICES, "default", "frontend").ifPresent(r -> client.delete(Resources.SERVICES, "default", "frontend"));
      for (Pod p : client.<Pod>list(Resources.PODS, "default", "tier=frontend")) {
        client.delete(Resources.PODS, "default", p.getMetadata().getName());
      }
    }
    // Whatever failed to start, stop what did: a controller-manager left running would act on every later test.
    if (h != null) {
      h.close();
    }
    if (scheduler != null) {
      scheduler.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (lo != null) {
      lo.close();
    }
    if (ns != null) {
      client.delete(Resources.NAMESPACES, "", ns);
    }
    for (KubeletFixture f : new KubeletFixture[] {nodeA, nodeB}) {
      if (f != null) {
        f.close();
      }
    }
  }

  /** An nginx pod template (the locally built image) that tolerates this test's nodes and is Ready when it serves. */
  static PodTemplateSpec template(String app, String extraEnv) {
    Container.Builder c = Container.newBuilder().setName("nginx").setImage(TestImages.NGINX)
        .addPorts(ContainerPort.newBuilder().setContainerPort(80))
        .setResources(ResourceRequirements.newBuilder().putRequests("cpu", "10m"))
        .setReadinessProbe(Probe.newBuilder().setHttpGet(HTTPGetAction.newBuilder().setPath("/")
            .setPort(IntOrString.newBuilder().setIntVal(80))).setPeriodSeconds(1));
    if (extraEnv != null) {
      c.addEnv(EnvVar.newBuilder().setName("VERSION").setValue(extraEnv));
    }
    return PodTemplateSpec.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().putLabels("app", app))
        .setSpec(PodSpec.newBuilder().addContainers(c).setTerminationGracePeriodSeconds(2)
            .addTolerations(Toleration.newBuilder().setKey(TAINT).setOperator("Exists").setEffect("NoSchedule")))
        .build();
  }

  static boolean ready(Pod p) {
    return p.getMetadata().getDeletionTimestamp().isEmpty()
        && p.getStatus().getConditionsList().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  static long readyPods(String selector) {
    return client.<Pod>list(Resources.PODS, ns, selector).stream().filter(ClusterEndToEndTest::ready).count();
  }

  /** A ReplicaSet of busybox httpd pods that answer with their own name and are Ready while /www/ready exists. */
  static ReplicaSet namedAnswerers(String namespace, String name, int replicas, java.util.Map<String, String> labels) {
    PodTemplateSpec t = template(name, null);
    Container c = t.getSpec().getContainers(0).toBuilder().setImage(TestImages.BUSYBOX).clearCommand()
        .addCommand("sh").addCommand("-c")
        .addCommand("mkdir -p /www; hostname > /www/index.html; echo ok > /www/ready; exec httpd -f -p 80 -h /www")
        .setReadinessProbe(Probe.newBuilder().setHttpGet(HTTPGetAction.newBuilder().setPath("/ready")
            .setPort(IntOrString.newBuilder().setIntVal(80))).setPeriodSeconds(1).setFailureThreshold(1))
        .build();
    t = t.toBuilder().setMetadata(ObjectMeta.newBuilder().putAllLabels(labels))
        .setSpec(t.getSpec().toBuilder().setContainers(0, c)).build();
    return ReplicaSet.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace(namespace).setName(name))
        .setSpec(ReplicaSetSpec.newBuilder().setReplicas(replicas)
            .setSelector(LabelSelector.newBuilder().putAllMatchLabels(labels)).setTemplate(t)).build();
  }

  /** A pod of this test's namespace to send requests from: busybox, sleeping, on the given node. */
  static Pod clientPod(String name, String node) {
    PodTemplateSpec t = template("client", null);
    Container c = t.getSpec().getContainers(0).toBuilder().setImage(TestImages.BUSYBOX).clearCommand()
        .clearReadinessProbe().clearPorts().addCommand("sleep").addCommand("3600").build();
    return client.create(Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName(name))
        .setSpec(t.getSpec().toBuilder().setNodeName(node).setContainers(0, c)).build());
  }

  /** Runs a shell script in a pod's first container, on whichever node runs it. */
  static String execIn(Pod pod, String script) throws Exception {
    Pod current = client.get(Resources.PODS, pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    KubeletFixture host = current.getSpec().getNodeName().equals(nodeA.node) ? nodeA : nodeB;
    String container = current.getSpec().getContainers(0).getName();
    return host.exec(KubeletFixture.status(current, container).getContainerId().replace("docker://", ""), "sh", "-c", script);
  }

  /** Names that answered {@code count} GETs through the NodePort on loopback; failures count as "failed". */
  static java.util.Map<String, Integer> answersByNodePort(int nodePort, int count) {
    java.util.Map<String, Integer> seen = new java.util.TreeMap<>();
    for (int i = 0; i < count; i++) {
      String answer;
      try {
        answer = httpGet("127.0.0.1", nodePort).strip();
      } catch (Exception e) {
        answer = "failed";
      }
      seen.merge(answer, 1, Integer::sum);
    }
    return seen;
  }

  static java.util.Set<String> readyAddresses(String namespace, String service) {
    return client.<Endpoints>find(Resources.ENDPOINTS, namespace, service).stream()
        .flatMap(e -> e.getSubsetsList().stream()).flatMap(s -> s.getAddressesList().stream())
        .map(a -> a.getIp()).collect(java.util.stream.Collectors.toSet());
  }

  static java.util.Set<String> notReadyAddresses(String namespace, String service) {
    return client.<Endpoints>find(Resources.ENDPOINTS, namespace, service).stream()
        .flatMap(e -> e.getSubsetsList().stream()).flatMap(s -> s.getNotReadyAddressesList().stream())
        .map(a -> a.getIp()).collect(java.util.stream.Collectors.toSet());
  }

  /** Whether busybox's nslookup, run in the pod, answers the name with exactly that address. */
  static boolean resolves(Pod asker, String name, String ip) throws Exception {
    return execIn(asker, "nslookup " + name).lines().map(String::strip).anyMatch(l -> l.equals("Address: " + ip));
  }

  static java.util.Set<String> names(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName()).collect(java.util.stream.Collectors.toSet());
  }

  @Test
  @Order(0)
  void theFrontendServiceReachesItsPodsByNameFromAPodAndByNodePortAndOnlyWhileTheyAreReady() throws Exception {
    // examples/frontend-service.yaml unchanged, in the default namespace: NodePort 30080, selector tier=frontend.
    Mkctl.Result applied = Mkctl.run(h.cp.server(), "apply", "-f", java.nio.file.Path.of("..", "examples", "frontend-service.yaml").toString());
    assertThat(applied.exitCode()).as(applied.toString()).isZero();
    frontendApplied = true;
    client.create(namedAnswerers("default", "frontend", 3, java.util.Map.of("app", "guestbook", "tier", "frontend")));
    ControllerHarness.await().atMost(Duration.ofMinutes(3)).until(() -> readyAddresses("default", "frontend").size() == 3);
    Service svc = client.get(Resources.SERVICES, "default", "frontend");
    int nodePort = svc.getSpec().getPorts(0).getNodePort();
    assertThat(nodePort).isEqualTo(30080);
    java.util.Set<String> podNames = names(h.activePods("default", "tier=frontend"));

    // From the host: the NodePort on loopback reaches all three.
    ControllerHarness.await().atMost(Duration.ofMinutes(1)).until(() -> answersByNodePort(nodePort, 12).keySet().equals(podNames));

    // From a pod: its resolver searches the cluster domains, the Service's name resolves to its
    // ClusterIP, and repeated requests to http://frontend.default.svc.cluster.local/ reach all three.
    // It runs on the node that does not run the first frontend pod, so one of the pods it reaches is
    // another node's: by pod IP too, with no Service in between.
    Pod across = h.activePods("default", "tier=frontend").get(0);
    Pod from = clientPod("requests", across.getSpec().getNodeName().equals(nodeA.node) ? nodeB.node : nodeA.node);
    ControllerHarness.await().atMost(Duration.ofMinutes(2)).until(() -> KubeletFixture.running(client.get(Resources.PODS, ns, "requests")));
    // (Docker puts its embedded resolver, 127.0.0.11, in front of the cluster DNS on a user-defined network.)
    assertThat(execIn(from, "cat /etc/resolv.conf")).contains("search " + ns + ".svc.cluster.local svc.cluster.local cluster.local");
    String name = "frontend.default.svc.cluster.local";
    assertThat(execIn(from, "nslookup " + name)).contains(svc.getSpec().getClusterIp());
    // nc shuts its sending side at the end of its input: the proxy passes that half-close on.
    String loop = "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do printf 'GET / HTTP/1.0\\r\\nHost: " + name + "\\r\\n\\r\\n'"
        + " | nc " + name + " 80 | tail -n 1; echo; done";
    ControllerHarness.await().atMost(Duration.ofMinutes(1)).until(() -> {
      java.util.Set<String> answers = execIn(from, loop).lines().map(String::strip).filter(l -> !l.isEmpty())
          .collect(java.util.stream.Collectors.toSet());
      return answers.equals(podNames);
    });

    for (Pod p : h.activePods("default", "tier=frontend")) {
      assertThat(execIn(from, "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc " + p.getStatus().getPodIp() + " 80 | tail -n 1"))
          .as("%s by its pod IP from a pod of another node", p.getMetadata().getName()).isEqualTo(p.getMetadata().getName());
    }

    // A deleted pod stops getting requests once the endpoints follow; every request still succeeds.
    Pod gone = h.activePods("default", "tier=frontend").get(0);
    client.delete(Resources.PODS, "default", gone.getMetadata().getName());
    ControllerHarness.await().atMost(Duration.ofMinutes(1))
        .until(() -> !readyAddresses("default", "frontend").contains(gone.getStatus().getPodIp()));
    // The proxy follows the Endpoints through its own watch, a moment later: once a round of
    // requests misses the pod, every later round must too, without a failure.
    ControllerHarness.await().atMost(Duration.ofMinutes(1))
        .until(() -> !answersByNodePort(nodePort, 6).containsKey(gone.getMetadata().getName()));
    java.util.Map<String, Integer> afterDelete = answersByNodePort(nodePort, 12);
    assertThat(afterDelete).doesNotContainKeys(gone.getMetadata().getName(), "failed");
    assertThat(names(h.activePods("default", "tier=frontend"))).containsAll(afterDelete.keySet());
    // The ReplicaSet's replacement joins.
    ControllerHarness.await().atMost(Duration.ofMinutes(2)).until(() -> readyAddresses("default", "frontend").size() == 3);

    // A pod failing its readiness probe gets no traffic, and gets it again when it recovers.
    Pod unready = h.activePods("default", "tier=frontend").get(0);
    String unreadyIp = unready.getStatus().getPodIp();
    execIn(unready, "rm /www/ready");
    ControllerHarness.await().atMost(Duration.ofMinutes(1)).until(() -> notReadyAddresses("default", "frontend").contains(unreadyIp)
        && !readyAddresses("default", "frontend").contains(unreadyIp));
    ControllerHarness.await().atMost(Duration.ofMinutes(1))
        .until(() -> !answersByNodePort(nodePort, 6).containsKey(unready.getMetadata().getName()));
    java.util.Map<String, Integer> whileUnready = answersByNodePort(nodePort, 12);
    assertThat(whileUnready).doesNotContainKeys(unready.getMetadata().getName(), "failed").hasSize(2);
    execIn(unready, "echo ok > /www/ready");
    ControllerHarness.await().atMost(Duration.ofMinutes(1)).until(() -> readyAddresses("default", "frontend").contains(unreadyIp));
    ControllerHarness.await().atMost(Duration.ofMinutes(1))
        .until(() -> answersByNodePort(nodePort, 12).containsKey(unready.getMetadata().getName()));
  }

  /** One GET on a connection of its own: the body. */
  static String httpGet(String host, int port) throws Exception {
    try (java.net.Socket s = new java.net.Socket(host, port)) {
      s.setSoTimeout(5000);
      s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      String response = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
  }

  @Test
  @Order(1)
  void aRollingUpdateNeverDropsBelowReplicasMinusMaxUnavailableAndUndoBringsTheOldTemplateBack() throws Exception {
    client.create(Deployment.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName("nginx"))
        .setSpec(DeploymentSpec.newBuilder().setReplicas(3)
            .setSelector(LabelSelector.newBuilder().putMatchLabels("app", "nginx"))
            .setTemplate(template("nginx", null)))
        .build());
    Mkctl.Result first = h.mkctl(ns, "rollout", "status", "deployment/nginx", "--timeout", "180s");
    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.out()).contains("deployment \"nginx\" successfully rolled out");

    // Default strategy: maxUnavailable 25% of 3 rounds down to 0, so 3 pods must stay Ready throughout:
    // in every state the pods go through, as a watch delivers them in order (a poller could miss a dip).
    ListResponse before = client.listRaw(Resources.PODS, ns, "app=nginx", "");
    try (WatchRecorder pods = WatchRecorder.start(client, WatchRequest.newBuilder().setResource("pods").setNamespace(ns)
        .setLabelSelector("app=nginx").setResourceVersion(before.getResourceVersion()).build())) {
      Deployment d = client.get(Resources.DEPLOYMENTS, ns, "nginx");
      client.update(d.toBuilder().setSpec(d.getSpec().toBuilder().setTemplate(template("nginx", "2"))).build());
      Mkctl.Result rolled = h.mkctl(ns, "rollout", "status", "deployment/nginx", "--timeout", "240s");
      assertThat(rolled.exitCode()).as(rolled.toString()).isZero();
      AtomicInteger min = new AtomicInteger(Integer.MAX_VALUE);
      AtomicInteger states = new AtomicInteger();
      pods.<Pod>replay(before.getItemsList().stream().map(o -> KubeObjects.unwrap(o, Pod.class)).toList(),
          client.list(Resources.PODS, ns, "app=nginx"), state -> {
        min.accumulateAndGet((int) state.values().stream().filter(ClusterEndToEndTest::ready).count(), Math::min);
        states.incrementAndGet();
      });
      // 3 new pods created, scheduled, started, Ready; 3 old ones terminating and deleted
      assertThat(states.get()).as("states seen").isGreaterThanOrEqualTo(12);
      assertThat(min.get()).as("fewest Ready pods in any state during the rollout").isGreaterThanOrEqualTo(3);
    }
    assertThat(client.<Pod>list(Resources.PODS, ns, "app=nginx").stream().filter(ClusterEndToEndTest::ready)
        .allMatch(p -> p.getSpec().getContainers(0).getEnvList().stream().anyMatch(e -> e.getValue().equals("2")))).isTrue();

    Mkctl.Result undo = h.mkctl(ns, "rollout", "undo", "deployment/nginx");
    assertThat(undo.exitCode()).as(undo.toString()).isZero();
    Mkctl.Result back = h.mkctl(ns, "rollout", "status", "deployment/nginx", "--timeout", "240s");
    assertThat(back.exitCode()).as(back.toString()).isZero();
    Deployment after = client.get(Resources.DEPLOYMENTS, ns, "nginx");
    assertThat(after.getSpec().getTemplate().getSpec().getContainers(0).getEnvList()).isEmpty();
    ControllerHarness.await().until(() -> readyPods("app=nginx") == 3);
  }

  @Test
  @Order(2)
  void aStatefulSetStartsInOrderKeepsItsDataAndScalesDownFromTheTop() throws Exception {
    PodTemplateSpec t = template("web", null);
    t = t.toBuilder().setSpec(t.getSpec().toBuilder().setContainers(0, t.getSpec().getContainers(0).toBuilder()
        .addVolumeMounts(VolumeMount.newBuilder().setName("www").setMountPath("/data")))).build();
    // The governing headless Service of examples/web-statefulset.yaml.
    client.create(Service.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName("web").putLabels("app", "web"))
        .setSpec(ServiceSpec.newBuilder().setClusterIp("None").putSelector("app", "web")
            .addPorts(ServicePort.newBuilder().setName("http").setPort(80))).build());
    WatchRecorder webPods = WatchRecorder.start(client, WatchRequest.newBuilder().setResource("pods").setNamespace(ns)
        .setLabelSelector("app=web").setResourceVersion(client.listRaw(Resources.PODS, ns, "app=web", "").getResourceVersion()).build());
    client.create(StatefulSet.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName("web"))
        .setSpec(StatefulSetSpec.newBuilder().setReplicas(3).setServiceName("web")
            .setSelector(LabelSelector.newBuilder().putMatchLabels("app", "web"))
            .setTemplate(t)
            .addVolumeClaimTemplates(PersistentVolumeClaim.newBuilder()
                .setMetadata(ObjectMeta.newBuilder().setName("www"))
                .setSpec(PersistentVolumeClaimSpec.newBuilder().addAccessModes("ReadWriteOnce")
                    .setResources(ResourceRequirements.newBuilder().putRequests("storage", "1Gi")))))
        .build());
    ControllerHarness.await().atMost(Duration.ofMinutes(4)).until(() -> readyPods("app=web") == 3);

    // Each pod's stable name, <pod>.<service>.<namespace>.svc.cluster.local, resolves from another pod to its IP.
    for (int i = 0; i < 3; i++) {
      Pod asker = client.get(Resources.PODS, ns, "web-" + ((i + 1) % 3));
      String ip = client.<Pod>get(Resources.PODS, ns, "web-" + i).getStatus().getPodIp();
      String name = "web-" + i + ".web." + ns + ".svc.cluster.local";
      ControllerHarness.await().atMost(Duration.ofMinutes(1)).until(() -> resolves(asker, name, ip));
    }

    // OrderedReady: in the order etcd committed them (a watch's order, not whole-second
    // timestamps), each pod was created only once all pods before it were Ready.
    List<String> order = new ArrayList<>();
    webPods.<Pod>replay(List.of(), client.list(Resources.PODS, ns, "app=web"), state -> {
      for (Pod p : state.values()) {
        String name = p.getMetadata().getName();
        if (!order.contains(name)) {
          order.add(name);
          int ordinal = Integer.parseInt(name.substring("web-".length()));
          for (int i = 0; i < ordinal; i++) {
            Pod earlier = state.get("web-" + i);
            assertThat(earlier != null && ready(earlier)).as("web-%d Ready when %s was created", i, name).isTrue();
          }
        }
      }
    });
    assertThat(order).containsExactly("web-0", "web-1", "web-2");
    webPods.close();
    // Data written into web-1's claim is there again for the web-1 that replaces it.
    Pod web1 = client.get(Resources.PODS, ns, "web-1");
    KubeletFixture host = web1.getSpec().getNodeName().equals(nodeA.node) ? nodeA : nodeB;
    host.exec(KubeletFixture.status(web1, "nginx").getContainerId().replace("docker://", ""),
        "sh", "-c", "echo kept-by-web-1 > /data/note");
    client.delete(Resources.PODS, ns, "web-1");
    ControllerHarness.await().atMost(Duration.ofMinutes(2)).until(() -> client.<Pod>find(Resources.PODS, ns, "web-1")
        .filter(p -> !p.getMetadata().getUid().equals(web1.getMetadata().getUid()) && ready(p)).isPresent());
    Pod again = client.get(Resources.PODS, ns, "web-1");
    KubeletFixture newHost = again.getSpec().getNodeName().equals(nodeA.node) ? nodeA : nodeB;
    assertThat(newHost.exec(KubeletFixture.status(again, "nginx").getContainerId().replace("docker://", ""),
        "cat", "/data/note")).isEqualTo("kept-by-web-1");
    // ... and its name follows it to the new pod's IP.
    Pod web0 = client.get(Resources.PODS, ns, "web-0");
    ControllerHarness.await().atMost(Duration.ofMinutes(1)).until(() ->
        resolves(web0, "web-1.web." + ns + ".svc.cluster.local", again.getStatus().getPodIp()));

    // Scaling to zero removes web-2, then web-1, then web-0.
    List<String> deleted = new java.util.concurrent.CopyOnWriteArrayList<>();
    String rv = client.listRaw(Resources.PODS, ns, "app=web", "").getResourceVersion();
    try (WatchRecorder w = WatchRecorder.start(client, WatchRequest.newBuilder().setResource("pods").setNamespace(ns)
        .setLabelSelector("app=web").setResourceVersion(rv).build())) {
      Mkctl.Result scaled = h.mkctl(ns, "scale", "statefulset/web", "--replicas=0");
      assertThat(scaled.exitCode()).as(scaled.toString()).isZero();
      ControllerHarness.await().atMost(Duration.ofMinutes(3)).until(() -> client.list(Resources.PODS, ns, "app=web").isEmpty());
      for (WatchEvent e : w.changes()) {
        if (e.getType().equals("DELETED")) {
          deleted.add(KubeObjects.meta(e.getObject()).getName());
        }
      }
    }
    assertThat(deleted).containsExactly("web-2", "web-1", "web-0");
    assertThat(client.find(Resources.PERSISTENT_VOLUME_CLAIMS, ns, "www-web-1")).isPresent();
  }

  @Test
  @Order(3)
  void aStoppedKubeletsNodeGoesUnknownAndItsPodsAreRecreatedOnTheOtherNode() throws Exception {
    client.create(ReplicaSet.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName("spread"))
        .setSpec(ReplicaSetSpec.newBuilder().setReplicas(4)
            .setSelector(LabelSelector.newBuilder().putMatchLabels("app", "spread"))
            .setTemplate(template("spread", null)))
        .build());
    ControllerHarness.await().atMost(Duration.ofMinutes(3)).until(() -> readyPods("app=spread") == 4);
    ControllerHarness.await().until(() -> client.<Pod>list(Resources.PODS, ns, "app=spread").stream()
        .anyMatch(p -> p.getSpec().getNodeName().equals(nodeA.node)));

    nodeA.kubelet.close(); // the kubelet stops; its lease is no longer renewed
    ControllerHarness.await().atMost(Duration.ofMinutes(2)).until(() -> {
      Node n = client.get(Resources.NODES, "", nodeA.node);
      return n.getStatus().getConditionsList().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("Unknown"))
          && n.getSpec().getTaintsList().stream().anyMatch(t -> t.getKey().equals("node.kubernetes.io/unreachable"));
    });
    ControllerHarness.await().atMost(Duration.ofMinutes(3)).until(() -> {
      List<Pod> active = client.<Pod>list(Resources.PODS, ns, "app=spread").stream()
          .filter(p -> p.getMetadata().getDeletionTimestamp().isEmpty()).toList();
      return active.size() == 4 && active.stream().allMatch(p -> p.getSpec().getNodeName().equals(nodeB.node) && ready(p));
    });
  }
}
