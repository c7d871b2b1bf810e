package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minik8s.api.Deployment;
import io.minik8s.apiserver.ApiServer;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real kubectl 1.32 driving MiniK8s through the REST API (issue #13), against a real etcd;
 * every command's effect is checked through the gRPC API, which shares the REST API's registry.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KubectlTest {
  static ApiServer server;
  static ApiClient client;
  static String ns;
  static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    ControlPlane shared = ControlPlane.shared();
    server = ApiServer.start(ControlPlane.config(shared.etcd).toBuilder().restPort(0).build());
    client = ControlPlane.connect("127.0.0.1:" + server.port());
    ns = Objects.freshNamespace(client, "kubectl");
    // TLS with the gRPC API's certificate; the caller is the PKI's admin, named by its client certificate
    kubectl = Kubectl.of(server.restPort(), io.minik8s.client.pki.ClusterPki.ADMIN, null, ns);
  }

  @AfterAll
  static void stop() {
    Objects.deleteNamespace(client, ns);
    client.close();
    server.close();
  }

  @Test
  void versionIsTheOneTheDispatcherLooksFor() throws Exception {
    HostCommand.Result r = kubectl.run("version");
    assertThat(r.exitCode()).as(r.out()).isZero();
    assertThat(r.out()).contains("Server Version: v1.32.0-minik8s");
  }

  @Test
  void withoutACertificateAndWithAnUnknownTokenKubectlIsUnauthorized() throws Exception {
    // (with no credentials at all kubectl would prompt for a user name on the 401)
    HostCommand.Result r = Kubectl.of(server.restPort(), null, "not-a-token", ns).run("get", "pods");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.out()).contains("error: You must be logged in to the server");
  }

  @Test
  void apiResourcesListsEveryKindWithShortNames() throws Exception {
    HostCommand.Result r = kubectl.run("api-resources");
    assertThat(r.exitCode()).as(r.out()).isZero();
    assertThat(r.out()).containsPattern("deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment")
        .containsPattern("pods\\s+po\\s+v1\\s+true\\s+Pod")
        .containsPattern("nodes\\s+no\\s+v1\\s+false\\s+Node")
        .containsPattern("clusterroles\\s+rbac.authorization.k8s.io/v1\\s+false\\s+ClusterRole");
  }

  @Test
  void applyScaleAndDeleteADeployment() throws Exception {
    HostCommand.Result applied = kubectl.run("apply", "-f", "examples/nginx-deployment.yaml");
    assertThat(applied.exitCode()).as(applied.out()).isZero();
    assertThat(applied.out()).contains("deployment.apps/nginx-deployment created");
    Deployment d = (Deployment) client.get(Resources.DEPLOYMENTS, ns, "nginx-deployment");
    assertThat(d.getSpec().getReplicas()).isEqualTo(3);
    assertThat(d.getMetadata().getAnnotationsMap()).containsKey("kubectl.kubernetes.io/last-applied-configuration");

    HostCommand.Result again = kubectl.run("apply", "-f", "examples/nginx-deployment.yaml");
    assertThat(again.exitCode()).as(again.out()).isZero();
    assertThat(again.out()).contains("deployment.apps/nginx-deployment unchanged");

    HostCommand.Result scaled = kubectl.run("scale", "deployment/nginx-deployment", "--replicas=5");
    assertThat(scaled.exitCode()).as(scaled.out()).isZero();
    assertThat(scaled.out()).contains("deployment.apps/nginx-deployment scaled");
    assertThat(((Deployment) client.get(Resources.DEPLOYMENTS, ns, "nginx-deployment")).getSpec().getReplicas())
        .isEqualTo(5);

    HostCommand.Result got = kubectl.run("get", "deploy", "nginx-deployment", "-o", "jsonpath={.spec.replicas}");
    assertThat(got.out().strip()).as(got.out()).isEqualTo("5");

    // the Table: mkctl get's columns (no controller-manager runs here: nothing is ready)
    HostCommand.Result table = kubectl.run("get", "deploy");
    assertThat(table.exitCode()).as(table.out()).isZero();
    assertThat(table.out()).containsPattern("NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE\\n")
        .containsPattern("nginx-deployment\\s+0/5\\s+0\\s+0\\s+\\d+s\\n");
    HostCommand.Result wide = kubectl.run("get", "deploy", "-o", "wide");
    assertThat(wide.out()).containsPattern("CONTAINERS\\s+IMAGES\\s+SELECTOR")
        .containsPattern("nginx\\s+nginx:1.15.4\\s+app=nginx");

    HostCommand.Result deleted = kubectl.run("delete", "deployment", "nginx-deployment");
    assertThat(deleted.exitCode()).as(deleted.out()).isZero();
    assertThat(deleted.out()).contains("deployment.apps \"nginx-deployment\" deleted");
    await().atMost(Duration.ofSeconds(10)).until(() ->
        client.find(Resources.DEPLOYMENTS, ns, "nginx-deployment").isEmpty());
  }

  @Test
  void labelAndSetImageGoThroughPatches() throws Exception {
    client.create(Objects.replicaSet(ns, "rs1", 1));
    HostCommand.Result labelled = kubectl.run("label", "rs", "rs1", "tier=web");
    assertThat(labelled.out()).as(labelled.out()).contains("replicaset.apps/rs1 labeled");
    HostCommand.Result image = kubectl.run("set", "image", "rs/rs1", "*=nginx:1.25");
    assertThat(image.out()).as(image.out()).contains("replicaset.apps/rs1 image updated");
    io.minik8s.api.ReplicaSet rs = (io.minik8s.api.ReplicaSet) client.get(Resources.REPLICA_SETS, ns, "rs1");
    assertThat(rs.getMetadata().getLabelsMap()).containsEntry("tier", "web");
    assertThat(rs.getSpec().getTemplate().getSpec().getContainersList()).allMatch(c -> c.getImage().equals("nginx:1.25"));
  }

  @Test
  void aProtobufBodyIsRefusedAsUnsupportedAndCreatesNothing() throws Exception {
    HostCommand.Result r = kubectl.run("create", "namespace", "from-protobuf-" + ns);
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.out()).contains("Error from server (UnsupportedMediaType)", "application/vnd.kubernetes.protobuf");
    assertThat(client.find(Resources.NAMESPACES, "", "from-protobuf-" + ns)).isEmpty();
  }

  @Test
  void getOfAMissingObjectPrintsKubernetesError() throws Exception {
    HostCommand.Result r = kubectl.run("get", "pod", "no-such-pod");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.out()).contains("Error from server (NotFound): pods \"no-such-pod\" not found");
  }

  @Test
  void getAllNamespacesListsPodsOfEveryNamespace() throws Exception {
    String other = Objects.freshNamespace(client, "kubectl-other");
    try {
      client.create(Objects.pod(ns, "here", Map.of("app", "a")));
      client.create(Objects.pod(other, "there", Map.of("app", "b")));
      HostCommand.Result r = kubectl.run("get", "pods", "-A", "-o", "name");
      assertThat(r.exitCode()).as(r.out()).isZero();
      assertThat(r.out()).contains("pod/here", "pod/there");
      HostCommand.Result selected = kubectl.run("get", "pods", "-A", "-l", "app=b", "-o", "name");
      assertThat(selected.out()).contains("pod/there").doesNotContain("pod/here");
      HostCommand.Result table = kubectl.run("get", "pods", "-A");
      assertThat(table.out()).containsPattern("NAMESPACE\\s+NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE")
          .containsPattern(other + "\\s+there\\s+0/1\\s+Pending\\s+0\\s+");
    } finally {
      Objects.deleteNamespace(client, other);
    }
  }

  @Test
  void getWatchReceivesAnEvent() throws Exception {
    client.create(Objects.pod(ns, "listed", Map.of()));
    try (Kubectl.Background watch = kubectl.start("get", "pods", "-w")) {
      // the list is printed first; the pod created after it can only come through the watch, as a Table row
      await().atMost(Duration.ofSeconds(20)).until(() -> watch.output().contains("listed"));
      client.create(Objects.pod(ns, "watched", Map.of()));
      await().atMost(Duration.ofSeconds(20)).until(() -> watch.output().lines()
          .anyMatch(l -> l.matches("watched\\s+0/1\\s+Pending\\s+0\\s+\\d+s")));
    }
  }
}
