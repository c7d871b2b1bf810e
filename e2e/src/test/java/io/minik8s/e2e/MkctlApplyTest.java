package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Deployment;
import io.minik8s.api.StatefulSet;
import io.minik8s.client.api.Resources;
import io.minik8s.client.codec.ManifestCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** mkctl against a real api-server: every sample manifest applies, prints back defaulted, and re-applies unchanged. */
class MkctlApplyTest {
  static final Path EXAMPLES = Path.of("..", "examples");
  static ControlPlane cp;

  @BeforeAll
  static void start() {
    cp = ControlPlane.shared();
  }

  @Test
  void applyingEverySampleCreatesItThenReapplyingIsUnchanged() throws Exception {
    String ns = Objects.freshNamespace(cp.client, "apply");
    Mkctl.Result first = Mkctl.run(cp.server(), "apply", "-n", ns, "-f", EXAMPLES.toString());
    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.out().lines()).containsExactly(
        "replicaset.apps/frontend created",
        "service/frontend created",
        "deployment.apps/nginx-deployment created",
        "service/nginx created",
        "service/web created",
        "statefulset.apps/web created");

    Mkctl.Result again = Mkctl.run(cp.server(), "apply", "-n", ns, "-f", EXAMPLES.toString());
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.out().lines()).containsExactly(
        "replicaset.apps/frontend unchanged",
        "service/frontend unchanged",
        "deployment.apps/nginx-deployment unchanged",
        "service/nginx unchanged",
        "service/web unchanged",
        "statefulset.apps/web unchanged");
    // The frontend and nginx Services hold node ports 30080 and 30081: give them back for other tests.
    Objects.deleteNamespace(cp.client, ns);
  }

  @Test
  void getDashOYamlShowsTheStoredDefaultedObject() throws Exception {
    String ns = Objects.freshNamespace(cp.client, "yaml");
    assertThat(Mkctl.run(cp.server(), "apply", "-n", ns, "-f", EXAMPLES.resolve("nginx-deployment.yaml").toString())
        .exitCode()).isZero();
    Mkctl.Result yaml = Mkctl.run(cp.server(), "get", "deployment", "nginx-deployment", "-n", ns, "-o", "yaml");
    assertThat(yaml.exitCode()).as(yaml.toString()).isZero();

    Deployment d = (Deployment) ManifestCodec.parseOne(yaml.out(), "get -o yaml");
    assertThat(d.getMetadata().getUid()).isNotEmpty();
    assertThat(d.getMetadata().getResourceVersion()).isNotEmpty();
    assertThat(d.getMetadata().getGeneration()).isEqualTo(1);
    assertThat(d.getSpec().getReplicas()).isEqualTo(3);
    assertThat(d.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getStrVal()).isEqualTo("25%");
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getStrVal()).isEqualTo("25%");
    assertThat(d.getSpec().getRevisionHistoryLimit()).isEqualTo(10);
    assertThat(d.getSpec().getProgressDeadlineSeconds()).isEqualTo(600);
    assertThat(d.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Always");
    assertThat(d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(30);
    assertThat(d.getSpec().getTemplate().getSpec().getContainers(0).getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(d.getSpec().getTemplate().getSpec().getContainers(0).getPorts(0).getProtocol()).isEqualTo("TCP");
    // What was applied is remembered for the next apply, as kubectl does.
    assertThat(d.getMetadata().getAnnotationsMap()).containsKey("kubectl.kubernetes.io/last-applied-configuration");
    // The printed text is itself a manifest that applies unchanged, and means the same object.
    assertThat(yaml.out()).contains("maxSurge: 25%").contains("revisionHistoryLimit: 10");

    Mkctl.Result sts = Mkctl.run(cp.server(), "apply", "-n", ns, "-f", EXAMPLES.resolve("web-statefulset.yaml").toString());
    assertThat(sts.exitCode()).as(sts.toString()).isZero();
    StatefulSet s = cp.client.get(Resources.STATEFUL_SETS, ns, "web");
    assertThat(s.getSpec().getPodManagementPolicy()).isEqualTo("OrderedReady");
    assertThat(s.getSpec().getUpdateStrategy().getRollingUpdate().getPartition()).isZero();
    assertThat(s.getSpec().getVolumeClaimTemplates(0).getSpec().getResources().getRequestsMap()).containsEntry("storage", "1Gi");
  }

  @Test
  void changingTheManifestConfiguresTheObjectAndBumpsItsGeneration(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    String ns = Objects.freshNamespace(cp.client, "configure");
    Path file = dir.resolve("nginx.yaml");
    String text = Files.readString(EXAMPLES.resolve("nginx-deployment.yaml"));
    Files.writeString(file, text);
    assertThat(Mkctl.run(cp.server(), "apply", "-n", ns, "-f", file.toString()).out()).contains("created");

    Files.writeString(file, text.replace("replicas: 3", "replicas: 5"));
    Mkctl.Result r = Mkctl.run(cp.server(), "apply", "-n", ns, "-f", file.toString());
    assertThat(r.out().trim()).as(r.toString()).isEqualTo("deployment.apps/nginx-deployment configured");
    Deployment d = cp.client.get(Resources.DEPLOYMENTS, ns, "nginx-deployment");
    assertThat(d.getSpec().getReplicas()).isEqualTo(5);
    assertThat(d.getMetadata().getGeneration()).isEqualTo(2);

    Mkctl.Result table = Mkctl.run(cp.server(), "get", "deploy", "-n", ns);
    assertThat(table.out().lines().findFirst().orElseThrow()).startsWith("NAME").contains("READY").contains("UP-TO-DATE");
    assertThat(table.out()).contains("nginx-deployment");

    Mkctl.Result del = Mkctl.run(cp.server(), "delete", "-n", ns, "-f", file.toString());
    assertThat(del.out().trim()).as(del.toString()).isEqualTo("deployment.apps \"nginx-deployment\" deleted");
    assertThat(cp.client.find(Resources.DEPLOYMENTS, ns, "nginx-deployment")).isEmpty();

    Mkctl.Result missing = Mkctl.run(cp.server(), "get", "deploy", "nginx-deployment", "-n", ns);
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("Error from server (NotFound): deployments.apps \"nginx-deployment\" not found");
  }
}
