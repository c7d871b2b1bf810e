package io.minik8s.e2e;

import static io.minik8s.e2e.ControllerHarness.await;
import static io.minik8s.e2e.ControllerHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.ControllerRevision;
import io.minik8s.api.PersistentVolumeClaim;
import io.minik8s.api.Pod;
import io.minik8s.api.StatefulSet;
import io.minik8s.api.Volume;
import io.minik8s.client.api.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The StatefulSet controller on examples/web-statefulset.yaml. Without a kubelet web-0 never
 * becomes Running and Ready, so OrderedReady must stop there; order 0,1,2 by readiness needs one.
 */
class ControllerStatefulSetTest {
  static ControllerHarness h;

  @BeforeAll
  static void start() throws Exception {
    h = new ControllerHarness();
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  private static String web(String prefix, boolean parallel) throws Exception {
    String ns = h.namespace(prefix);
    String yaml = Files.readString(Path.of("..", "examples", "web-statefulset.yaml"));
    if (parallel) {
      yaml = yaml.replace("  serviceName: web\n", "  serviceName: web\n  podManagementPolicy: Parallel\n");
    }
    Path file = Files.createTempFile("web", ".yaml");
    Files.writeString(file, yaml);
    Mkctl.Result r = h.mkctl(ns, "apply", "-f", file.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return ns;
  }

  private static List<String> podNames(String ns) {
    return h.activePods(ns, "app=web").stream().map(p -> p.getMetadata().getName()).sorted().toList();
  }

  @Test
  void orderedReadyCreatesWebZeroWithItsClaimAndWaitsForItBeforeWebOne() throws Exception {
    String ns = web("sts-ordered", false);
    Pod web0 = eventually(() -> h.client.<Pod>find(Resources.PODS, ns, "web-0"), java.util.Optional::isPresent).get();
    assertThat(web0.getSpec().getHostname()).isEqualTo("web-0");
    assertThat(web0.getSpec().getSubdomain()).isEqualTo("web");
    Volume www = web0.getSpec().getVolumesList().stream().filter(v -> v.getName().equals("www")).findFirst().orElseThrow();
    assertThat(www.getPersistentVolumeClaim().getClaimName()).isEqualTo("www-web-0");
    assertThat(web0.getMetadata().getOwnerReferences(0).getKind()).isEqualTo("StatefulSet");

    PersistentVolumeClaim claim = eventually(() -> h.<PersistentVolumeClaim>get(Resources.PERSISTENT_VOLUME_CLAIMS, ns, "www-web-0"),
        c -> c.getStatus().getPhase().equals("Bound"));
    assertThat(claim.getSpec().getResources().getRequestsMap()).containsEntry("storage", "1Gi");

    StatefulSet set = eventually(() -> h.<StatefulSet>get(Resources.STATEFUL_SETS, ns, "web"), s -> s.getStatus().getReplicas() == 1);
    String revision = set.getStatus().getUpdateRevision();
    assertThat(revision).startsWith("web-");
    assertThat(web0.getMetadata().getLabelsMap()).containsEntry("controller-revision-hash", revision);
    ControllerRevision cr = h.get(Resources.CONTROLLER_REVISIONS, ns, revision);
    assertThat(cr.getRevision()).isEqualTo(1);
    assertThat(cr.getMetadata().getOwnerReferences(0).getName()).isEqualTo("web");

    // web-0 is Pending forever without a kubelet: OrderedReady must not go on to web-1, even
    // once the controller has looked again.
    h.resync(Resources.STATEFUL_SETS, ns, "web");
    assertThat(podNames(ns)).containsExactly("web-0");
    assertThat(h.client.find(Resources.PERSISTENT_VOLUME_CLAIMS, ns, "www-web-1")).isEmpty();
    assertThat(h.events(ns)).contains("SuccessfulCreate: create Claim www-web-0 Pod web-0 in StatefulSet web success",
        "SuccessfulCreate: create Pod web-0 in StatefulSet web successful");
  }

  @Test
  void parallelCreatesEveryPodAndClaimAtOnce() throws Exception {
    String ns = web("sts-parallel", true);
    eventually(() -> podNames(ns), names -> names.equals(List.of("web-0", "web-1", "web-2")));
    for (int i = 0; i < 3; i++) {
      int ordinal = i;
      await().until(() -> h.client.<PersistentVolumeClaim>find(Resources.PERSISTENT_VOLUME_CLAIMS, ns, "www-web-" + ordinal)
          .map(c -> c.getStatus().getPhase().equals("Bound")).orElse(false));
    }
  }

  @Test
  void scaleDownRemovesTheHighestOrdinalAndKeepsItsClaim() throws Exception {
    String ns = web("sts-scale", true);
    eventually(() -> podNames(ns), names -> names.size() == 3);
    Mkctl.Result r = h.mkctl(ns, "scale", "sts", "web", "--replicas=2");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    eventually(() -> podNames(ns), names -> names.equals(List.of("web-0", "web-1")));
    assertThat(h.client.find(Resources.PERSISTENT_VOLUME_CLAIMS, ns, "www-web-2")).isPresent();
    await().until(() -> h.events(ns).contains("SuccessfulDelete: delete Pod web-2 in StatefulSet web successful"));
  }
}
