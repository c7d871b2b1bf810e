package io.minik8s.controllermanager.statefulset;

import static io.minik8s.controllermanager.testing.TestObjects.NS;
import static io.minik8s.controllermanager.testing.TestObjects.running;
import static io.minik8s.controllermanager.testing.TestObjects.statefulSet;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.PersistentVolumeClaim;
import io.minik8s.api.Pod;
import io.minik8s.api.StatefulSet;
import io.minik8s.client.api.Resources;
import io.minik8s.controllermanager.testing.FakeClient;
import io.minik8s.client.clock.FakeClock;
import io.minik8s.controllermanager.testing.FakeRecorder;
import io.minik8s.controllermanager.testing.TestObjects;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatefulSetControllerTest {
  final FakeClock clock = new FakeClock();
  final FakeClient client = new FakeClient(clock);
  final FakeRecorder recorder = new FakeRecorder();
  final StatefulSetController controller = new StatefulSetController(client.lister(Resources.STATEFUL_SETS),
      client.lister(Resources.PODS), client.lister(Resources.PERSISTENT_VOLUME_CLAIMS),
      client.lister(Resources.CONTROLLER_REVISIONS), client, recorder, clock);

  private List<String> podNames() {
    return client.<Pod>lister(Resources.PODS).list(NS).stream().map(p -> p.getMetadata().getName()).sorted().toList();
  }

  /** What a kubelet would report: the pod runs and is ready. */
  private void makeReady(String name) {
    Pod p = client.stored(Resources.PODS, NS, name);
    client.seed(running(p, "n1", true, "2026-01-01T00:00:00Z"));
  }

  private void sync() {
    controller.sync("default/web");
  }

  @Test
  void orderedReadyCreatesOnePodAtATimeEachReadyBeforeTheNext() {
    client.seed(statefulSet("web", 3, "OrderedReady"));
    sync();
    assertThat(podNames()).containsExactly("web-0");
    sync();
    assertThat(podNames()).as("web-0 is not ready yet").containsExactly("web-0");
    makeReady("web-0");
    sync();
    assertThat(podNames()).containsExactly("web-0", "web-1");
    makeReady("web-1");
    sync();
    assertThat(podNames()).containsExactly("web-0", "web-1", "web-2");
    assertThat(client.actions("create")).containsExactly("create controllerrevisions web-" + revisionHash(),
        "create persistentvolumeclaims www-web-0", "create pods web-0",
        "create persistentvolumeclaims www-web-1", "create pods web-1",
        "create persistentvolumeclaims www-web-2", "create pods web-2");
  }

  private String revisionHash() {
    StatefulSet set = client.stored(Resources.STATEFUL_SETS, NS, "web");
    return StatefulSetUtil.revisionName(set, 0).substring("web-".length());
  }

  @Test
  void parallelCreatesEveryPodAtOnce() {
    client.seed(statefulSet("web", 3, "Parallel"));
    sync();
    assertThat(podNames()).containsExactly("web-0", "web-1", "web-2");
  }

  @Test
  void podsGetStableIdentityAndTheirOwnBoundClaims() {
    client.seed(statefulSet("web", 1, "OrderedReady"));
    sync();
    Pod p = client.stored(Resources.PODS, NS, "web-0");
    assertThat(p.getSpec().getHostname()).isEqualTo("web-0");
    assertThat(p.getSpec().getSubdomain()).isEqualTo("web");
    assertThat(p.getSpec().getVolumes(0).getName()).isEqualTo("www");
    assertThat(p.getSpec().getVolumes(0).getPersistentVolumeClaim().getClaimName()).isEqualTo("www-web-0");
    assertThat(p.getMetadata().getLabelsMap()).containsEntry("statefulset.kubernetes.io/pod-name", "web-0")
        .containsEntry("controller-revision-hash", "web-" + revisionHash());
    PersistentVolumeClaim claim = client.stored(Resources.PERSISTENT_VOLUME_CLAIMS, NS, "www-web-0");
    assertThat(claim.getStatus().getPhase()).isEqualTo("Bound");
    assertThat(claim.getStatus().getCapacityMap()).containsEntry("storage", "1Gi");
    StatefulSet set = client.stored(Resources.STATEFUL_SETS, NS, "web");
    assertThat(set.getStatus().getUpdateRevision()).isEqualTo("web-" + revisionHash());
    assertThat(set.getStatus().getReplicas()).isEqualTo(1);
  }

  @Test
  void scaleDownRemovesTheHighestOrdinalFirstOneAtATimeAndKeepsClaims() {
    client.seed(statefulSet("web", 3, "OrderedReady"));
    for (int i = 0; i < 3; i++) {
      sync();
      makeReady("web-" + i);
    }
    StatefulSet set = client.stored(Resources.STATEFUL_SETS, NS, "web");
    client.seed(set.toBuilder().setSpec(set.getSpec().toBuilder().setReplicas(1)).build());
    client.reflectWrites = false; // web-2 is Terminating as far as the cache knows
    Pod web2 = client.stored(Resources.PODS, NS, "web-2");
    sync();
    assertThat(client.actions("delete pods")).containsExactly("delete pods web-2");
    client.seed(web2.toBuilder().setMetadata(web2.getMetadata().toBuilder().setDeletionTimestamp("2026-01-01T00:00:30Z")).build());
    sync();
    assertThat(client.actions("delete pods")).as("waits for web-2 to be gone").hasSize(1);
    client.remove(Resources.PODS, NS, "web-2");
    sync();
    assertThat(client.actions("delete pods")).containsExactly("delete pods web-2", "delete pods web-1");
    assertThat(client.actions("delete persistentvolumeclaims")).isEmpty();
  }

  @Test
  void rollingUpdateReplacesFromTheHighestOrdinalDownToThePartition() {
    StatefulSet set = statefulSet("web", 3, "OrderedReady");
    set = set.toBuilder().setSpec(set.getSpec().toBuilder().setUpdateStrategy(set.getSpec().getUpdateStrategy().toBuilder()
        .setRollingUpdate(set.getSpec().getUpdateStrategy().getRollingUpdate().toBuilder().setPartition(1)))).build();
    client.seed(set);
    for (int i = 0; i < 3; i++) {
      sync();
      makeReady("web-" + i);
    }
    String oldRevision = "web-" + revisionHash();
    StatefulSet current = client.stored(Resources.STATEFUL_SETS, NS, "web");
    client.seed(current.toBuilder().setSpec(current.getSpec().toBuilder()
        .setTemplate(TestObjects.template(Map.of("app", "web"), "nginx:1.16.1"))).build());
    String newRevision = "web-" + revisionHash();
    sync();
    assertThat(client.actions("delete pods")).containsExactly("delete pods web-2");
    sync(); // recreated at the new revision, not ready yet: the update waits
    assertThat(client.<Pod>stored(Resources.PODS, NS, "web-2").getMetadata().getLabelsMap())
        .containsEntry("controller-revision-hash", newRevision);
    assertThat(client.actions("delete pods")).hasSize(1);
    makeReady("web-2");
    sync();
    assertThat(client.actions("delete pods")).containsExactly("delete pods web-2", "delete pods web-1");
    sync();
    makeReady("web-1");
    sync();
    sync();
    // web-0 is below the partition: it stays at the old revision.
    assertThat(client.actions("delete pods")).hasSize(2);
    assertThat(client.<Pod>stored(Resources.PODS, NS, "web-0").getMetadata().getLabelsMap())
        .containsEntry("controller-revision-hash", oldRevision);
    StatefulSet after = client.stored(Resources.STATEFUL_SETS, NS, "web");
    assertThat(after.getStatus().getUpdatedReplicas()).isEqualTo(2);
    assertThat(after.getStatus().getCurrentRevision()).isEqualTo(oldRevision);
    assertThat(after.getStatus().getUpdateRevision()).isEqualTo(newRevision);
  }

  @Test
  void onDeleteLeavesPodsAtTheOldRevisionUntilDeleted() {
    StatefulSet set = statefulSet("web", 2, "Parallel");
    set = set.toBuilder().setSpec(set.getSpec().toBuilder().setUpdateStrategy(
        io.minik8s.api.StatefulSetUpdateStrategy.newBuilder().setType("OnDelete"))).build();
    client.seed(set);
    sync();
    makeReady("web-0");
    makeReady("web-1");
    StatefulSet current = client.stored(Resources.STATEFUL_SETS, NS, "web");
    client.seed(current.toBuilder().setSpec(current.getSpec().toBuilder()
        .setTemplate(TestObjects.template(Map.of("app", "web"), "nginx:1.16.1"))).build());
    sync();
    assertThat(client.actions("delete pods")).isEmpty();
    client.remove(Resources.PODS, NS, "web-1");
    sync();
    assertThat(client.<Pod>stored(Resources.PODS, NS, "web-1").getSpec().getContainers(0).getImage()).isEqualTo("nginx:1.16.1");
    assertThat(client.<Pod>stored(Resources.PODS, NS, "web-0").getSpec().getContainers(0).getImage()).isEqualTo("nginx:1.15.4");
  }

  @Test
  void claimNamesAreClaimSetOrdinal() {
    StatefulSet set = statefulSet("db", 1, "OrderedReady");
    assertThat(StatefulSetUtil.claims(set, 7)).extracting(c -> c.getMetadata().getName()).containsExactly("www-db-7");
    assertThat(StatefulSetUtil.ordinal(set, TestObjects.pod("db-12", Map.of()))).isEqualTo(12);
    assertThat(StatefulSetUtil.ordinal(set, TestObjects.pod("dbx-1", Map.of()))).isEqualTo(-1);
  }
}
