package io.minik8s.e2e;

import static io.minik8s.e2e.ControllerHarness.await;
import static io.minik8s.e2e.ControllerHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentCondition;
import io.minik8s.api.ListResponse;
import io.minik8s.api.Pod;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.WatchRequest;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Deployment controller on examples/nginx-deployment.yaml. No kubelet runs, so no pod ever
 * becomes ready: a rollout can only go as far as maxSurge and maxUnavailable allow without
 * available pods, which is what these tests check (the full rollout needs a kubelet).
 */
class ControllerDeploymentTest {
  static final String NAME = "nginx-deployment";
  static ControllerHarness h;

  @BeforeAll
  static void start() throws Exception {
    h = new ControllerHarness();
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  private static String nginx(String prefix, String extraSpec) throws Exception {
    String ns = h.namespace(prefix);
    String yaml = Files.readString(Path.of("..", "examples", "nginx-deployment.yaml"));
    if (!extraSpec.isEmpty()) {
      yaml = yaml.replace("  replicas: 3\n", "  replicas: 3\n  " + extraSpec + "\n");
    }
    Path file = Files.createTempFile("nginx", ".yaml");
    Files.writeString(file, yaml);
    Mkctl.Result r = h.mkctl(ns, "apply", "-f", file.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    eventually(() -> h.activePods(ns, "app=nginx"), pods -> pods.size() == 3);
    return ns;
  }

  private static List<ReplicaSet> sets(String ns) {
    return h.client.<ReplicaSet>list(Resources.REPLICA_SETS, ns, "").stream()
        .sorted(Comparator.comparing(rs -> rs.getMetadata().getAnnotationsOrDefault("deployment.kubernetes.io/revision", ""))).toList();
  }

  private static Deployment deployment(String ns) {
    return h.get(Resources.DEPLOYMENTS, ns, NAME);
  }

  private static void setImage(String ns, String image) {
    Mkctl.Result r = h.mkctl(ns, "set", "image", "deployment/" + NAME, "nginx=" + image);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("deployment.apps/nginx-deployment image updated\n");
  }

  @Test
  void createsAReplicaSetNamedAndLabelledByTheTemplateHash() throws Exception {
    String ns = nginx("deploy-create", "");
    List<ReplicaSet> sets = sets(ns);
    assertThat(sets).hasSize(1);
    ReplicaSet rs = sets.get(0);
    String hash = rs.getMetadata().getLabelsOrThrow("pod-template-hash");
    assertThat(rs.getMetadata().getName()).isEqualTo(NAME + "-" + hash);
    assertThat(rs.getSpec().getSelector().getMatchLabelsMap()).containsEntry("pod-template-hash", hash).containsEntry("app", "nginx");
    assertThat(rs.getMetadata().getOwnerReferences(0).getName()).isEqualTo(NAME);
    assertThat(rs.getMetadata().getAnnotationsMap()).containsEntry("deployment.kubernetes.io/revision", "1");
    assertThat(h.activePods(ns, "app=nginx")).allMatch(p -> p.getMetadata().getLabelsOrDefault("pod-template-hash", "").equals(hash));
    Deployment d = eventually(() -> deployment(ns), x -> x.getStatus().getUpdatedReplicas() == 3);
    assertThat(d.getMetadata().getAnnotationsMap()).containsEntry("deployment.kubernetes.io/revision", "1");
    assertThat(d.getStatus().getReplicas()).isEqualTo(3);
    assertThat(d.getStatus().getAvailableReplicas()).isZero();
    assertThat(condition(d, "Available").getReason()).isEqualTo("MinimumReplicasUnavailable");
    await().until(() -> h.events(ns).contains("ScalingReplicaSet: Scaled up replica set " + rs.getMetadata().getName() + " from 0 to 3"));
  }

  @Test
  void setImageStartsRevisionTwoOnlyAsFarAsMaxSurgeAndMaxUnavailableAllow() throws Exception {
    String ns = nginx("deploy-surge", "");
    String oldName = sets(ns).get(0).getMetadata().getName();
    // Every state the sets and pods go through, in order, from a watch (a poller could miss one).
    ListResponse setList = h.client.listRaw(Resources.REPLICA_SETS, ns, "", "");
    ListResponse podList = h.client.listRaw(Resources.PODS, ns, "app=nginx", "");
    try (WatchRecorder setWatch = WatchRecorder.start(h.client, watch("replicasets", ns, "", setList));
         WatchRecorder podWatch = WatchRecorder.start(h.client, watch("pods", ns, "app=nginx", podList))) {
      setImage(ns, "nginx:1.16.1");
      eventually(() -> sets(ns), s -> s.size() == 2 && s.get(1).getSpec().getReplicas() == 1);
      // The controller looks again with both sets in its cache: it must not go further.
      h.resync(Resources.DEPLOYMENTS, ns, NAME);
      // replicas 3, maxSurge 25% -> 1 (rounded up), maxUnavailable 25% -> 0 (rounded down): with no pod
      // ever available, the new set may grow to 1 and the old one may not shrink at all.
      setWatch.<ReplicaSet>replay(unwrap(setList, ReplicaSet.class), sets(ns), state -> state.values().forEach(rs -> {
        if (rs.getMetadata().getName().equals(oldName)) {
          assertThat(rs.getSpec().getReplicas()).as("old set").isGreaterThanOrEqualTo(3);
        } else {
          assertThat(rs.getSpec().getReplicas()).as("new set").isLessThanOrEqualTo(1);
          assertThat(rs.getSpec().getTemplate().getSpec().getContainers(0).getImage()).isEqualTo("nginx:1.16.1");
        }
      }));
      podWatch.<Pod>replay(unwrap(podList, Pod.class), h.pods(ns, "app=nginx"), state -> assertThat(state.values().stream()
          .filter(p -> p.getMetadata().getDeletionTimestamp().isEmpty())).as("active pods").hasSizeLessThanOrEqualTo(4));
    }
    assertThat(sets(ns)).filteredOn(rs -> !rs.getMetadata().getName().equals(oldName)).singleElement()
        .satisfies(rs -> assertThat(rs.getMetadata().getAnnotationsMap()).containsEntry("deployment.kubernetes.io/revision", "2"));
    await().until(() -> deployment(ns).getMetadata().getAnnotationsOrDefault("deployment.kubernetes.io/revision", "").equals("2"));
    Mkctl.Result history = h.mkctl(ns, "rollout", "history", "deployment/" + NAME);
    assertThat(history.out()).isEqualTo("deployment.apps/nginx-deployment \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n");
  }

  @Test
  void rolloutStatusFailsOnceTheProgressDeadlineIsExceeded() throws Exception {
    String ns = nginx("deploy-deadline", "progressDeadlineSeconds: 5");
    setImage(ns, "nginx:1.16.1");
    Mkctl.Result r = h.mkctl(ns, "rollout", "status", "deployment/" + NAME, "--timeout=120s");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error: deployment \"nginx-deployment\" exceeded its progress deadline\n");
    assertThat(r.out()).contains("Waiting for deployment \"nginx-deployment\" rollout to finish: ");
    DeploymentCondition c = condition(deployment(ns), "Progressing");
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getReason()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(c.getMessage()).matches("ReplicaSet \"nginx-deployment-[a-z0-9]+\" has timed out progressing\\.");
  }

  @Test
  void rolloutStatusPrintsTheNewReplicasLineWhileTheRolloutIsStuck() throws Exception {
    String ns = nginx("deploy-status", "");
    setImage(ns, "nginx:1.16.1");
    eventually(() -> deployment(ns), d -> d.getStatus().getUpdatedReplicas() == 1
        && d.getStatus().getObservedGeneration() == d.getMetadata().getGeneration());
    Mkctl.Result r = h.mkctl(ns, "rollout", "status", "deployment/" + NAME, "--watch=false");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("Waiting for deployment \"nginx-deployment\" rollout to finish: 1 out of 3 new replicas have been updated...\n");
  }

  @Test
  void rolloutUndoRestoresTheTemplateOfRevisionOne() throws Exception {
    String ns = nginx("deploy-undo", "");
    PodTemplateSpec original = deployment(ns).getSpec().getTemplate();
    String firstSet = sets(ns).get(0).getMetadata().getName();
    setImage(ns, "nginx:1.16.1");
    await().until(() -> deployment(ns).getMetadata().getAnnotationsOrDefault("deployment.kubernetes.io/revision", "").equals("2"));
    Mkctl.Result r = h.mkctl(ns, "rollout", "undo", "deployment/" + NAME);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("deployment.apps/nginx-deployment rolled back\n");
    assertThat(deployment(ns).getSpec().getTemplate()).isEqualTo(original);
    // The first set is the new one again, renumbered as revision 3.
    ReplicaSet first = eventually(() -> h.<ReplicaSet>get(Resources.REPLICA_SETS, ns, firstSet),
        rs -> rs.getMetadata().getAnnotationsOrDefault("deployment.kubernetes.io/revision", "").equals("3"));
    assertThat(first.getSpec().getReplicas()).isEqualTo(3);
    await().until(() -> deployment(ns).getMetadata().getAnnotationsOrDefault("deployment.kubernetes.io/revision", "").equals("3"));
  }

  @Test
  void aPausedDeploymentHoldsTemplateChangesUntilResumed() throws Exception {
    String ns = nginx("deploy-pause", "");
    Mkctl.Result paused = h.mkctl(ns, "rollout", "pause", "deployment/" + NAME);
    assertThat(paused.out()).isEqualTo("deployment.apps/nginx-deployment paused\n");
    setImage(ns, "nginx:1.16.1");
    await().until(() -> condition(deployment(ns), "Progressing").getReason().equals("DeploymentPaused"));
    h.resync(Resources.DEPLOYMENTS, ns, NAME); // a sync that saw the new template while paused
    assertThat(sets(ns)).hasSize(1);
    Mkctl.Result resumed = h.mkctl(ns, "rollout", "resume", "deployment/" + NAME);
    assertThat(resumed.out()).isEqualTo("deployment.apps/nginx-deployment resumed\n");
    eventually(() -> sets(ns), s -> s.size() == 2);
    Mkctl.Result restarted = h.mkctl(ns, "rollout", "restart", "deployment/" + NAME);
    assertThat(restarted.out()).isEqualTo("deployment.apps/nginx-deployment restarted\n");
    assertThat(deployment(ns).getSpec().getTemplate().getMetadata().getAnnotationsMap()).containsKey("kubectl.kubernetes.io/restartedAt");
    eventually(() -> sets(ns), s -> s.size() == 3);
  }

  @Test
  void deletingTheDeploymentTakesItsReplicaSetsAndPodsAlong() throws Exception {
    String ns = nginx("deploy-delete", "");
    Mkctl.Result r = h.mkctl(ns, "delete", "deployment", NAME, "--cascade=foreground");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    await().until(() -> h.client.find(Resources.DEPLOYMENTS, ns, NAME).isEmpty());
    assertThat(sets(ns)).isEmpty();
    assertThat(h.pods(ns, "app=nginx")).isEmpty();
  }

  private static WatchRequest watch(String resource, String ns, String selector, ListResponse from) {
    return WatchRequest.newBuilder().setResource(resource).setNamespace(ns).setLabelSelector(selector)
        .setResourceVersion(from.getResourceVersion()).build();
  }

  private static <T extends com.google.protobuf.Message> List<T> unwrap(ListResponse list, Class<T> type) {
    return list.getItemsList().stream().map(o -> KubeObjects.unwrap(o, type)).toList();
  }

  private static DeploymentCondition condition(Deployment d, String type) {
    return d.getStatus().getConditionsList().stream().filter(c -> c.getType().equals(type)).findFirst()
        .orElse(DeploymentCondition.getDefaultInstance());
  }
}
