package io.minik8s.controllermanager.deployment;

import static io.minik8s.controllermanager.testing.TestObjects.NS;
import static io.minik8s.controllermanager.testing.TestObjects.deployment;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentCondition;
import io.minik8s.api.DeploymentStrategy;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.ReplicaSetStatus;
import io.minik8s.client.api.Resources;
import io.minik8s.controllermanager.controller.Hashing;
import io.minik8s.controllermanager.controller.OwnerRefs;
import io.minik8s.controllermanager.testing.FakeClient;
import io.minik8s.client.clock.FakeClock;
import io.minik8s.controllermanager.testing.FakeRecorder;
import io.minik8s.controllermanager.testing.TestObjects;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploymentControllerTest {
  final FakeClock clock = new FakeClock();
  final FakeClient client = new FakeClient(clock);
  final FakeRecorder recorder = new FakeRecorder();
  final DeploymentController controller = new DeploymentController(client.lister(Resources.DEPLOYMENTS),
      client.lister(Resources.REPLICA_SETS), client.lister(Resources.PODS), client, recorder, clock);

  private Deployment stored() {
    return client.stored(Resources.DEPLOYMENTS, NS, "web");
  }

  private List<ReplicaSet> sets() {
    return client.<ReplicaSet>lister(Resources.REPLICA_SETS).list(NS).stream()
        .sorted(Comparator.comparingLong(DeploymentUtil::revision)).toList();
  }

  /** An old ReplicaSet of the deployment with the given image and revision. */
  private ReplicaSet ownedSet(Deployment d, String image, long revision, int spec, int available) {
    PodTemplateSpec t = TestObjects.template(Map.of("app", "web"), image);
    String hash = Hashing.templateHash(t, 0);
    PodTemplateSpec.Builder labelled = t.toBuilder();
    labelled.getMetadataBuilder().putLabels("pod-template-hash", hash);
    ReplicaSet rs = TestObjects.replicaSet("web-" + hash, spec, Map.of("app", "web"));
    rs = rs.toBuilder()
        .setMetadata(rs.getMetadata().toBuilder().putLabels("app", "web").putLabels("pod-template-hash", hash)
            .putAnnotations(DeploymentUtil.REVISION, Long.toString(revision))
            .setCreationTimestamp("2025-12-0" + revision + "T00:00:00Z")
            .addOwnerReferences(OwnerRefs.controllerRef(d)))
        .setSpec(rs.getSpec().toBuilder().setTemplate(labelled)
            .setSelector(rs.getSpec().getSelector().toBuilder().putMatchLabels("pod-template-hash", hash)))
        .setStatus(ReplicaSetStatus.newBuilder().setReplicas(spec).setAvailableReplicas(available).setReadyReplicas(available))
        .build();
    client.seed(rs);
    return rs;
  }

  private void setImage(String image) {
    Deployment d = stored();
    client.seed(d.toBuilder().setMetadata(d.getMetadata().toBuilder().setGeneration(d.getMetadata().getGeneration() + 1))
        .setSpec(d.getSpec().toBuilder().setTemplate(TestObjects.template(Map.of("app", "web"), image))).build());
  }

  /** What the ReplicaSet controller and kubelets would do in one step: pods exist at once, two more a step become available. */
  private void simulatePods() {
    for (ReplicaSet rs : sets()) {
      int spec = rs.getSpec().getReplicas();
      int available = Math.min(spec, rs.getStatus().getAvailableReplicas() + 2);
      client.seed(rs.toBuilder().setStatus(rs.getStatus().toBuilder().setReplicas(spec)
          .setReadyReplicas(available).setAvailableReplicas(available)).build());
    }
  }

  @Test
  void createsTheFirstReplicaSetLabelledByTemplateHashAsRevisionOne() {
    client.seed(deployment("web", 3, "25%", "25%"));
    controller.sync("default/web");
    ReplicaSet rs = sets().get(0);
    String hash = Hashing.templateHash(stored().getSpec().getTemplate(), 0);
    assertThat(rs.getMetadata().getName()).isEqualTo("web-" + hash);
    assertThat(rs.getSpec().getSelector().getMatchLabelsMap()).containsEntry("pod-template-hash", hash);
    assertThat(rs.getSpec().getTemplate().getMetadata().getLabelsMap()).containsEntry("pod-template-hash", hash);
    assertThat(rs.getSpec().getReplicas()).isEqualTo(3);
    assertThat(rs.getMetadata().getAnnotationsMap()).containsEntry(DeploymentUtil.REVISION, "1");
    assertThat(stored().getMetadata().getAnnotationsMap()).containsEntry(DeploymentUtil.REVISION, "1");
    assertThat(recorder.events).contains("Normal ScalingReplicaSet: Scaled up replica set web-" + hash + " from 0 to 3");
    DeploymentCondition progressing = condition(stored(), "Progressing");
    assertThat(progressing.getReason()).isEqualTo("NewReplicaSetCreated");
    assertThat(progressing.getMessage()).isEqualTo("Created new replica set \"web-" + hash + "\"");
  }

  @Test
  void neverDropsBelowReplicasMinusMaxUnavailableNorAboveReplicasPlusMaxSurge() {
    client.seed(deployment("web", 10, "25%", "25%")); // surge 3, unavailable 2
    for (int i = 0; i < 10; i++) {
      controller.sync("default/web");
      simulatePods();
    }
    assertThat(sets()).hasSize(1);
    assertThat(sets().get(0).getStatus().getAvailableReplicas()).isEqualTo(10);
    setImage("nginx:1.16.1");
    int steps = 0;
    while (steps++ < 200) {
      controller.sync("default/web");
      assertThat(sets().stream().mapToInt(rs -> rs.getSpec().getReplicas()).sum()).as("total").isLessThanOrEqualTo(13);
      simulatePods();
      assertThat(sets().stream().mapToInt(rs -> rs.getStatus().getAvailableReplicas()).sum()).as("available").isGreaterThanOrEqualTo(8);
      List<ReplicaSet> s = sets();
      if (s.size() == 2 && s.get(1).getStatus().getAvailableReplicas() == 10 && s.get(0).getSpec().getReplicas() == 0) {
        break;
      }
    }
    assertThat(steps).isLessThan(200);
    assertThat(sets().get(1).getMetadata().getAnnotationsMap()).containsEntry(DeploymentUtil.REVISION, "2");
    assertThat(recorder.events).anyMatch(e -> e.startsWith("Normal ScalingReplicaSet: Scaled down replica set "));
  }

  @Test
  void aRolloutWithNothingAvailableGrowsTheNewSetToMaxSurgeAndKeepsTheOldOne() {
    Deployment d = deployment("web", 3, "25%", "25%");
    client.seed(d);
    ownedSet(stored(), "nginx:1.15.4", 1, 3, 0);
    setImage("nginx:1.16.1");
    for (int i = 0; i < 5; i++) {
      controller.sync("default/web");
    }
    List<ReplicaSet> s = sets();
    assertThat(s).hasSize(2);
    assertThat(s.get(0).getSpec().getReplicas()).isEqualTo(3);
    assertThat(s.get(1).getSpec().getReplicas()).isEqualTo(1);
  }

  @Test
  void recreateScalesOldSetsToZeroAndCreatesTheNewOneOnlyWhenTheirPodsAreGone() {
    Deployment d = deployment("web", 3, "25%", "25%");
    d = d.toBuilder().setSpec(d.getSpec().toBuilder().setStrategy(DeploymentStrategy.newBuilder().setType("Recreate"))).build();
    client.seed(d);
    ReplicaSet old = ownedSet(stored(), "nginx:1.14", 1, 3, 3);
    controller.sync("default/web");
    assertThat(client.actions("create replicasets")).isEmpty();
    assertThat(client.<ReplicaSet>stored(Resources.REPLICA_SETS, NS, old.getMetadata().getName()).getSpec().getReplicas()).isZero();
    controller.sync("default/web"); // the old set still reports 3 pods
    assertThat(client.actions("create replicasets")).isEmpty();
    ReplicaSet drained = client.stored(Resources.REPLICA_SETS, NS, old.getMetadata().getName());
    client.seed(drained.toBuilder().setStatus(ReplicaSetStatus.getDefaultInstance()).build());
    controller.sync("default/web");
    assertThat(client.actions("create replicasets")).hasSize(1);
    assertThat(sets().get(1).getSpec().getReplicas()).isEqualTo(3);
  }

  @Test
  void rollingBackMakesTheOldSetNewAgainUnderTheNextRevision() {
    client.seed(deployment("web", 3, "25%", "25%"));
    ReplicaSet first = ownedSet(stored(), "nginx:1.15.4", 1, 0, 0);
    ownedSet(stored(), "nginx:1.16.1", 2, 3, 3);
    // mkctl rollout undo copied revision 1's template into the deployment: its template is nginx:1.15.4.
    controller.sync("default/web");
    ReplicaSet renumbered = client.stored(Resources.REPLICA_SETS, NS, first.getMetadata().getName());
    assertThat(renumbered.getMetadata().getAnnotationsMap()).containsEntry(DeploymentUtil.REVISION, "3");
    assertThat(stored().getMetadata().getAnnotationsMap()).containsEntry(DeploymentUtil.REVISION, "3");
    assertThat(renumbered.getSpec().getReplicas()).isEqualTo(1);
  }

  @Test
  void progressDeadlineExceededWhenNothingMovesForProgressDeadlineSeconds() {
    Deployment d = deployment("web", 3, "25%", "25%");
    client.seed(d.toBuilder().setSpec(d.getSpec().toBuilder().setProgressDeadlineSeconds(10)).build());
    controller.sync("default/web");
    clock.advance(Duration.ofSeconds(5));
    controller.sync("default/web");
    assertThat(condition(stored(), "Progressing").getStatus()).isEqualTo("True");
    clock.advance(Duration.ofSeconds(6));
    controller.sync("default/web");
    DeploymentCondition c = condition(stored(), "Progressing");
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getReason()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(c.getMessage()).isEqualTo("ReplicaSet \"" + sets().get(0).getMetadata().getName() + "\" has timed out progressing.");
    assertThat(condition(stored(), "Available").getReason()).isEqualTo("MinimumReplicasUnavailable");
  }

  @Test
  void aCompleteRolloutSaysNewReplicaSetAvailable() {
    client.seed(deployment("web", 3, "25%", "25%"));
    for (int i = 0; i < 4; i++) {
      controller.sync("default/web");
      simulatePods();
    }
    controller.sync("default/web");
    assertThat(condition(stored(), "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
    assertThat(condition(stored(), "Available").getStatus()).isEqualTo("True");
    assertThat(stored().getStatus().getAvailableReplicas()).isEqualTo(3);
  }

  @Test
  void cleanupKeepsRevisionHistoryLimitIdleSets() {
    Deployment d = deployment("web", 3, "25%", "25%");
    client.seed(d.toBuilder().setSpec(d.getSpec().toBuilder().setRevisionHistoryLimit(2)).build());
    ReplicaSet r1 = ownedSet(stored(), "v1", 1, 0, 0);
    ReplicaSet r2 = ownedSet(stored(), "v2", 2, 0, 0);
    ownedSet(stored(), "v3", 3, 0, 0);
    ownedSet(stored(), "v4", 4, 0, 0);
    ownedSet(stored(), "nginx:1.15.4", 5, 3, 3);
    controller.sync("default/web");
    assertThat(client.actions("delete replicasets")).containsExactly(
        "delete replicasets " + r1.getMetadata().getName(), "delete replicasets " + r2.getMetadata().getName());
  }

  @Test
  void aPausedDeploymentDoesNotStartANewReplicaSet() {
    Deployment d = deployment("web", 3, "25%", "25%");
    client.seed(d.toBuilder().setSpec(d.getSpec().toBuilder().setPaused(true)).build());
    ownedSet(stored(), "nginx:1.14", 1, 3, 3);
    controller.sync("default/web");
    assertThat(client.actions("create replicasets")).isEmpty();
    assertThat(condition(stored(), "Progressing").getReason()).isEqualTo("DeploymentPaused");
  }

  private static DeploymentCondition condition(Deployment d, String type) {
    return DeploymentUtil.condition(d.getStatus(), type).orElse(DeploymentCondition.getDefaultInstance());
  }
}
