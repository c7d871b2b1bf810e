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
import io.minik8s.api.Node;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.PersistentVolumeClaim;
import io.minik8s.api.PersistentVolumeClaimSpec;
import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
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
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
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
  static ControllerHarness h;
  static SchedulerServer scheduler;
  static KubeletFixture nodeA;
  static KubeletFixture nodeB;
  static ApiClient client;
  static String ns;

  @BeforeAll
  static void start() throws Exception {
    TestImages.ensure();
    // Nodes go Unknown after 25 s without a lease (kubelets renew every 10 s); pods then get 5 s.
    h = new ControllerHarness(Duration.ofSeconds(25), Duration.ofSeconds(1), 5);
    client = h.client;
    nodeA = new KubeletFixture("cl-a").start();
    nodeB = new KubeletFixture("cl-b").start();
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
    scheduler = SchedulerServer.start(SchedulerServer.Config.defaults(h.cp.server()));
    ns = h.namespace("cluster");
  }

  @AfterAll
  static void stop() throws Exception {
    // Whatever failed to start, stop what did: a controller-manager left running would act on every later test.
    if (h != null) {
      h.close();
    }
    if (scheduler != null) {
      scheduler.close();
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

  @Test
  @Order(0)
  void aServiceReachesEveryReadyPodFromTheHostByNodePortAndFromAPodByName() throws Exception {
    PodTemplateSpec t = template("hello", null);
    Container c = t.getSpec().getContainers(0).toBuilder().setImage(TestImages.BUSYBOX).clearCommand()
        .addCommand("sh").addCommand("-c").addCommand("mkdir -p /www; hostname > /www/index.html; exec httpd -f -p 80 -h /www")
        .build();
    t = t.toBuilder().setSpec(t.getSpec().toBuilder().setContainers(0, c)).build();
    client.create(ReplicaSet.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName("hello"))
        .setSpec(ReplicaSetSpec.newBuilder().setReplicas(3)
            .setSelector(LabelSelector.newBuilder().putMatchLabels("app", "hello")).setTemplate(t)).build());
    Service svc = client.create(Service.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName("hello"))
        .setSpec(ServiceSpec.newBuilder().setType("NodePort").putSelector("app", "hello")
            .addPorts(ServicePort.newBuilder().setPort(80).setTargetPort(IntOrString.newBuilder().setIntVal(80))))
        .build());
    RecordingIps lo = RecordingIps.onLoopback();
    try (lo; KubeProxy proxy = KubeProxy.start(new KubeProxy.Config("cluster-proxy", h.cp.server(), "127.0.0.1", 0,
        "cluster.local", "10.96.0.10", 53, lo))) {
      ControllerHarness.await().atMost(Duration.ofMinutes(3)).until(() -> client.<Endpoints>find(Resources.ENDPOINTS, ns, "hello")
          .map(e -> e.getSubsetsList().stream().mapToInt(EndpointSubset::getAddressesCount).sum() == 3).orElse(false));
      java.util.Set<String> podNames = new java.util.HashSet<>();
      for (Pod p : client.<Pod>list(Resources.PODS, ns, "app=hello")) {
        podNames.add(p.getMetadata().getName());
      }
      int nodePort = svc.getSpec().getPorts(0).getNodePort();
      ControllerHarness.await().atMost(Duration.ofMinutes(1)).until(() -> {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 12; i++) {
          seen.add(httpGet("127.0.0.1", nodePort).strip());
        }
        return seen.equals(podNames);
      });

      // From inside a pod: the cluster DNS name resolves to the ClusterIP, and connections reach every pod.
      Pod from = client.<Pod>list(Resources.PODS, ns, "app=hello").get(0);
      KubeletFixture host = from.getSpec().getNodeName().equals(nodeA.node) ? nodeA : nodeB;
      String id = KubeletFixture.status(from, "nginx").getContainerId().replace("docker://", "");
      assertThat(host.exec(id, "cat", "/etc/resolv.conf")).contains(ns + ".svc.cluster.local");
      String name = "hello." + ns + ".svc.cluster.local";
      assertThat(host.exec(id, "nslookup", name)).contains(svc.getSpec().getClusterIp());
      // nc shuts its sending side at the end of its input: the proxy passes that half-close on and the answer still comes
      String loop = "for i in 1 2 3 4 5 6 7 8 9; do printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc "
          + svc.getSpec().getClusterIp() + " 80 | tail -n 1; done";
      ControllerHarness.await().atMost(Duration.ofMinutes(1)).until(() ->
          podNames.stream().allMatch(n -> { try { return host.exec(id, "sh", "-c", loop).contains(n); } catch (Exception e) { return false; } }));
    }
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

    // Default strategy: maxUnavailable 25% of 3 rounds down to 0, so 3 pods must stay Ready throughout.
    AtomicInteger min = new AtomicInteger(Integer.MAX_VALUE);
    AtomicInteger samples = new AtomicInteger();
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler = Thread.ofVirtual().start(() -> {
      while (sampling.get()) {
        try {
          int n = (int) readyPods("app=nginx");
          min.accumulateAndGet(n, Math::min);
          samples.incrementAndGet();
          Thread.sleep(100);
        } catch (Exception e) {
          return;
        }
      }
    });
    Deployment d = client.get(Resources.DEPLOYMENTS, ns, "nginx");
    client.update(d.toBuilder().setSpec(d.getSpec().toBuilder().setTemplate(template("nginx", "2"))).build());
    Mkctl.Result rolled = h.mkctl(ns, "rollout", "status", "deployment/nginx", "--timeout", "240s");
    sampling.set(false);
    sampler.join();
    assertThat(rolled.exitCode()).as(rolled.toString()).isZero();
    assertThat(samples.get()).isGreaterThan(10);
    assertThat(min.get()).as("fewest Ready pods seen during the rollout").isGreaterThanOrEqualTo(3);
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

    // OrderedReady: each pod was created no earlier than its predecessor became Ready.
    for (int i = 1; i < 3; i++) {
      Pod previous = client.get(Resources.PODS, ns, "web-" + (i - 1));
      Pod pod = client.get(Resources.PODS, ns, "web-" + i);
      Instant previousReady = Instant.parse(previous.getStatus().getConditionsList().stream()
          .filter(c -> c.getType().equals("Ready")).map(PodCondition::getLastTransitionTime).findFirst().orElseThrow());
      assertThat(Instant.parse(pod.getMetadata().getCreationTimestamp())).isAfterOrEqualTo(previousReady);
    }

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
