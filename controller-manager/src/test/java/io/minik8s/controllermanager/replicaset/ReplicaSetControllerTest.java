package io.minik8s.controllermanager.replicaset;

import static io.minik8s.controllermanager.testing.TestObjects.NS;
import static io.minik8s.controllermanager.testing.TestObjects.created;
import static io.minik8s.controllermanager.testing.TestObjects.ownedBy;
import static io.minik8s.controllermanager.testing.TestObjects.pod;
import static io.minik8s.controllermanager.testing.TestObjects.replicaSet;
import static io.minik8s.controllermanager.testing.TestObjects.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minik8s.api.LabelSelectorRequirement;
import io.minik8s.api.Pod;
import io.minik8s.api.ReplicaSet;
import io.minik8s.client.api.Resources;
import io.minik8s.controllermanager.testing.FakeClient;
import io.minik8s.client.clock.FakeClock;
import io.minik8s.controllermanager.testing.FakeRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReplicaSetControllerTest {
  static final Map<String, String> LABELS = Map.of("tier", "frontend");

  final FakeClock clock = new FakeClock();
  final FakeClient client = new FakeClient(clock);
  final FakeRecorder recorder = new FakeRecorder();
  final ReplicaSetController controller = new ReplicaSetController(
      client.lister(Resources.REPLICA_SETS), client.lister(Resources.PODS), client, recorder, clock);

  private ReplicaSet seedSet(int replicas) {
    ReplicaSet rs = replicaSet("frontend", replicas, LABELS);
    client.seed(rs);
    return client.stored(Resources.REPLICA_SETS, NS, "frontend");
  }

  @Test
  void createsMissingPodsInSlowStartBatchesStoppingAfterTheFirstFailingBatch() {
    seedSet(10);
    AtomicInteger creates = new AtomicInteger();
    client.failOn = a -> a.startsWith("create pods") && creates.incrementAndGet() == 4;
    assertThatThrownBy(() -> controller.sync("default/frontend")).isInstanceOf(IllegalStateException.class);
    // Batches 1, 2, 4: the fourth create fails, the rest of its batch runs, then it stops: 7 tries, 6 pods.
    assertThat(client.actions("create pods")).hasSize(7).allMatch(a -> a.equals("create pods frontend-"));
    assertThat(client.lister(Resources.PODS).list(NS)).hasSize(6);
    assertThat(recorder.events).filteredOn(e -> e.startsWith("Warning FailedCreate")).hasSize(1);
    // Only the six pods that exist are expected: the failed and the never-tried creations are not,
    // so the next sync may act again as soon as the informer has seen the six.
    assertThat(controller.expectations().pendingCreations("default/frontend")).isEqualTo(6);
  }

  @Test
  void slowStartRunsBatchesOfOneTwoFourUntilDone() {
    List<Integer> calls = new ArrayList<>();
    AtomicInteger n = new AtomicInteger();
    int done = ReplicaSetController.SlowStart.run(10, () -> calls.add(n.incrementAndGet()));
    assertThat(done).isEqualTo(10);
    assertThat(calls).hasSize(10);
  }

  @Test
  void neverCreatesTwiceWhileExpectationsArePending() {
    seedSet(3);
    client.reflectWrites = false; // the informer has not seen the new pods yet
    controller.sync("default/frontend");
    controller.sync("default/frontend");
    controller.sync("default/frontend");
    assertThat(client.actions("create pods")).hasSize(3);
    assertThat(controller.expectations().satisfied("default/frontend")).isFalse();
  }

  @Test
  void expectationsExpireAfterFiveMinutes() {
    seedSet(3);
    client.reflectWrites = false;
    controller.sync("default/frontend");
    clock.advance(Duration.ofMinutes(5).plusSeconds(1));
    controller.sync("default/frontend");
    assertThat(client.actions("create pods")).hasSize(6);
  }

  @Test
  void observedCreationsSatisfyExpectations() {
    ReplicaSet rs = seedSet(2);
    client.reflectWrites = false;
    controller.sync("default/frontend");
    controller.podHandler().onAdd(ownedBy(pod("frontend-a", LABELS), rs));
    assertThat(controller.expectations().satisfied("default/frontend")).isFalse();
    controller.podHandler().onAdd(ownedBy(pod("frontend-b", LABELS), rs));
    assertThat(controller.expectations().satisfied("default/frontend")).isTrue();
  }

  @Test
  void adoptsOrphanWhoseLabelsMatch() {
    ReplicaSet rs = seedSet(1);
    client.seed(pod("orphan", LABELS));
    controller.sync("default/frontend");
    assertThat(client.actions).contains("update pods orphan");
    assertThat(client.actions("create pods")).isEmpty();
    Pod adopted = client.stored(Resources.PODS, NS, "orphan");
    assertThat(adopted.getMetadata().getOwnerReferences(0).getUid()).isEqualTo(rs.getMetadata().getUid());
    assertThat(adopted.getMetadata().getOwnerReferences(0).getBlockOwnerDeletion()).isTrue();
  }

  @Test
  void matchExpressionsTakePartInTheSelector() {
    ReplicaSet rs = replicaSet("frontend", 1, LABELS);
    rs = rs.toBuilder().setSpec(rs.getSpec().toBuilder().setSelector(rs.getSpec().getSelector().toBuilder()
        .addMatchExpressions(LabelSelectorRequirement.newBuilder().setKey("env").setOperator("NotIn").addValues("prod")))).build();
    client.seed(rs, pod("prod", Map.of("tier", "frontend", "env", "prod")));
    controller.sync("default/frontend");
    assertThat(client.actions).doesNotContain("update pods prod").contains("create pods frontend-");
  }

  @Test
  void doesNothingToPodsControlledBySomeoneElse() {
    seedSet(1);
    ReplicaSet other = replicaSet("other", 1, LABELS);
    client.seed(ownedBy(pod("theirs", LABELS), other));
    controller.sync("default/frontend");
    assertThat(client.actions).doesNotContain("update pods theirs", "delete pods theirs").contains("create pods frontend-");
  }

  @Test
  void releasesPodWhoseLabelsStopMatching() {
    ReplicaSet rs = seedSet(1);
    client.seed(ownedBy(pod("relabelled", Map.of("tier", "debug")), rs));
    controller.sync("default/frontend");
    assertThat(client.actions).containsExactly("update pods relabelled", "create pods frontend-", "updateStatus replicasets frontend");
    assertThat(client.<Pod>stored(Resources.PODS, NS, "relabelled").getMetadata().getOwnerReferencesList()).isEmpty();
  }

  @Test
  void scaleDownDeletesUnscheduledThenPendingThenNotReadyThenNewest() {
    ReplicaSet rs = seedSet(1);
    client.seed(
        created(ownedBy(running(pod("ready-old", LABELS), "n1", true, "2026-01-01T00:00:00Z"), rs), "2025-12-01T00:00:00Z"),
        created(ownedBy(running(pod("ready-new", LABELS), "n1", true, "2026-01-01T00:00:00Z"), rs), "2025-12-02T00:00:00Z"),
        ownedBy(running(pod("not-ready", LABELS), "n1", false, "2026-01-01T00:00:00Z"), rs),
        ownedBy(pod("pending", LABELS).toBuilder().setSpec(pod("p", LABELS).getSpec().toBuilder().setNodeName("n1")).build(), rs),
        ownedBy(pod("unscheduled", LABELS), rs));
    controller.sync("default/frontend");
    assertThat(client.actions("delete pods")).containsExactly(
        "delete pods unscheduled", "delete pods pending", "delete pods not-ready", "delete pods ready-new");
    assertThat(recorder.events).contains("Normal SuccessfulDelete: Deleted pod: unscheduled");
  }

  @Test
  void statusCountsReadyAndAvailablePodsHonouringMinReadySeconds() {
    ReplicaSet rs = replicaSet("frontend", 2, LABELS);
    rs = rs.toBuilder().setSpec(rs.getSpec().toBuilder().setMinReadySeconds(30)).build();
    client.seed(rs);
    rs = client.stored(Resources.REPLICA_SETS, NS, "frontend");
    client.seed(ownedBy(running(pod("long-ready", LABELS), "n1", true, "2025-12-31T23:00:00Z"), rs),
        ownedBy(running(pod("just-ready", LABELS), "n1", true, "2025-12-31T23:59:50Z"), rs));
    controller.sync("default/frontend");
    ReplicaSet after = client.stored(Resources.REPLICA_SETS, NS, "frontend");
    assertThat(after.getStatus().getReplicas()).isEqualTo(2);
    assertThat(after.getStatus().getReadyReplicas()).isEqualTo(2);
    assertThat(after.getStatus().getAvailableReplicas()).isEqualTo(1);
    assertThat(after.getStatus().getFullyLabeledReplicas()).isEqualTo(2);
    assertThat(after.getStatus().getObservedGeneration()).isEqualTo(1);
  }

  @Test
  void createdPodsCarryTheTemplateAndAControllerReference() {
    ReplicaSet rs = seedSet(1);
    controller.sync("default/frontend");
    Pod p = client.<Pod>lister(Resources.PODS).list(NS).get(0);
    assertThat(p.getMetadata().getGenerateName()).isEqualTo("frontend-");
    assertThat(p.getMetadata().getLabelsMap()).isEqualTo(LABELS);
    assertThat(p.getMetadata().getOwnerReferences(0).getController()).isTrue();
    assertThat(p.getMetadata().getOwnerReferences(0).getUid()).isEqualTo(rs.getMetadata().getUid());
    assertThat(recorder.events).contains("Normal SuccessfulCreate: Created pod: " + p.getMetadata().getName());
  }

  @Test
  void aDeletedReplicaSetIsDoneWith() {
    controller.sync("default/gone");
    assertThat(client.actions).isEmpty();
  }
}
