package io.minik8s.controllermanager.garbagecollector;

import static io.minik8s.controllermanager.testing.TestObjects.NS;
import static io.minik8s.controllermanager.testing.TestObjects.ownedBy;
import static io.minik8s.controllermanager.testing.TestObjects.pod;
import static io.minik8s.controllermanager.testing.TestObjects.replicaSet;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.minik8s.api.OwnerReference;
import io.minik8s.api.Pod;
import io.minik8s.api.ReplicaSet;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import io.minik8s.controllermanager.controller.Lister;
import io.minik8s.controllermanager.controller.OwnerRefs;
import io.minik8s.controllermanager.testing.FakeClient;
import io.minik8s.client.clock.FakeClock;
import io.minik8s.controllermanager.testing.FakeRecorder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GarbageCollectorTest {
  static final Map<String, String> LABELS = Map.of("app", "x");
  final FakeClock clock = new FakeClock();
  final FakeClient client = new FakeClient(clock);
  final GarbageCollector gc;

  GarbageCollectorTest() {
    Map<ResourceType, Lister<? extends Message>> listers = new LinkedHashMap<>();
    for (ResourceType t : new ResourceType[] {Resources.PODS, Resources.REPLICA_SETS, Resources.DEPLOYMENTS}) {
      listers.put(t, client.lister(t));
    }
    gc = new GarbageCollector(listers, client, new FakeRecorder(), clock);
  }

  private ReplicaSet deleting(ReplicaSet rs, String finalizer) {
    return rs.toBuilder().setMetadata(rs.getMetadata().toBuilder()
        .setDeletionTimestamp("2026-01-01T00:00:00Z").addFinalizers(finalizer)).build();
  }

  @Test
  void deletesDependentsWhoseOwnerIsGone() {
    ReplicaSet rs = replicaSet("gone", 1, LABELS); // never stored: the owner does not exist
    client.seed(ownedBy(pod("orphaned", LABELS), rs));
    gc.sync("pods|default/orphaned");
    assertThat(client.actions).containsExactly("delete pods orphaned");
  }

  @Test
  void keepsDependentsWhoseOwnerExists() {
    ReplicaSet rs = replicaSet("here", 1, LABELS);
    client.seed(rs, ownedBy(pod("kept", LABELS), rs));
    gc.sync("pods|default/kept");
    assertThat(client.actions).isEmpty();
  }

  @Test
  void anOwnerWithTheSameNameButAnotherUidDoesNotCount() {
    ReplicaSet old = replicaSet("same", 1, LABELS);
    client.seed(ownedBy(pod("stale", LABELS), old));
    ReplicaSet recreated = old.toBuilder().setMetadata(old.getMetadata().toBuilder().setUid("uid-new")).build();
    client.seed(recreated);
    gc.sync("pods|default/stale");
    assertThat(client.actions).containsExactly("delete pods stale");
  }

  @Test
  void dropsOnlyTheDanglingReferenceWhenAnotherOwnerRemains() {
    ReplicaSet alive = replicaSet("alive", 1, LABELS);
    ReplicaSet gone = replicaSet("gone", 1, LABELS);
    Pod p = pod("shared", LABELS);
    p = p.toBuilder().setMetadata(p.getMetadata().toBuilder()
        .addOwnerReferences(OwnerRefs.controllerRef(alive))
        .addOwnerReferences(OwnerRefs.controllerRef(gone).toBuilder().setController(false))).build();
    client.seed(alive, p);
    gc.sync("pods|default/shared");
    assertThat(client.actions).containsExactly("update pods shared");
    assertThat(client.<Pod>stored(Resources.PODS, NS, "shared").getMetadata().getOwnerReferencesList())
        .extracting(OwnerReference::getName).containsExactly("alive");
  }

  @Test
  void foregroundDeletesBlockingDependentsFirstThenRemovesTheFinalizer() {
    ReplicaSet rs = deleting(replicaSet("fg", 2, LABELS), "foregroundDeletion");
    client.seed(rs, ownedBy(pod("a", LABELS), rs), ownedBy(pod("b", LABELS), rs));
    client.reflectWrites = false; // the deletions are not seen yet
    gc.sync("replicasets|default/fg");
    assertThat(client.actions).containsExactly("delete pods a Foreground", "delete pods b Foreground");
    client.reflectWrites = true;
    client.remove(Resources.PODS, NS, "a");
    client.remove(Resources.PODS, NS, "b");
    gc.sync("replicasets|default/fg");
    assertThat(client.actions).endsWith("update replicasets fg");
    assertThat(client.<ReplicaSet>stored(Resources.REPLICA_SETS, NS, "fg").getMetadata().getFinalizersList()).isEmpty();
  }

  @Test
  void foregroundDoesNotWaitForDependentsThatDoNotBlock() {
    ReplicaSet rs = deleting(replicaSet("fg", 1, LABELS), "foregroundDeletion");
    Pod loose = pod("loose", LABELS);
    loose = loose.toBuilder().setMetadata(loose.getMetadata().toBuilder()
        .addOwnerReferences(OwnerRefs.controllerRef(rs).toBuilder().setBlockOwnerDeletion(false))).build();
    client.seed(rs, loose);
    client.reflectWrites = false;
    gc.sync("replicasets|default/fg");
    assertThat(client.actions).containsExactly("delete pods loose", "update replicasets fg");
  }

  @Test
  void orphanRemovesTheOwnerReferenceFromDependentsThenTheFinalizer() {
    ReplicaSet rs = deleting(replicaSet("or", 2, LABELS), "orphan");
    client.seed(rs, ownedBy(pod("a", LABELS), rs), ownedBy(pod("b", LABELS), rs));
    gc.sync("replicasets|default/or");
    assertThat(client.actions).containsExactly("update pods a", "update pods b", "update replicasets or");
    assertThat(client.<Pod>stored(Resources.PODS, NS, "a").getMetadata().getOwnerReferencesList()).isEmpty();
    assertThat(client.<ReplicaSet>stored(Resources.REPLICA_SETS, NS, "or").getMetadata().getFinalizersList()).isEmpty();
    assertThat(client.actions("delete")).isEmpty();
  }
}
