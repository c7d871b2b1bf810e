package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.api.Binding;
import io.minik8s.api.DeleteRequest;
import io.minik8s.api.DeleteResponse;
import io.minik8s.api.Namespace;
import io.minik8s.api.Node;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.ObjectReference;
import io.minik8s.api.Pod;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.Scale;
import io.minik8s.api.ScaleRequest;
import io.minik8s.api.UpdateScaleRequest;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The api-server's semantics, against a real three-member etcd cluster. */
class ApiServerTest {
  static ControlPlane cp;
  static ApiClient client;

  @BeforeAll
  static void start() {
    cp = ControlPlane.shared();
    client = cp.client;
  }

  private static Status.Code codeOf(Throwable t) {
    return ((StatusRuntimeException) t).getStatus().getCode();
  }

  @Test
  void systemNamespacesExistFromTheStart() {
    List<Namespace> namespaces = client.list(Resources.NAMESPACES, "", "");
    assertThat(namespaces).extracting(n -> n.getMetadata().getName())
        .contains("default", "kube-system", "kube-public", "kube-node-lease");
    // Only the system namespaces: other tests' deleted namespaces stay Terminating without a namespace controller.
    assertThat(namespaces).filteredOn(n -> n.getMetadata().getName().startsWith("kube-") || n.getMetadata().getName().equals("default"))
        .extracting(n -> n.getStatus().getPhase()).containsOnly("Active");
  }

  @Test
  void createFillsServerOwnedMetadataAndGetReturnsIt() {
    String ns = Objects.freshNamespace(client, "create");
    Pod created = client.create(Objects.pod(ns, "p1", Map.of("app", "web")));
    assertThat(created.getMetadata().getUid()).hasSize(36);
    assertThat(created.getMetadata().getCreationTimestamp()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1);
    assertThat(Long.parseLong(created.getMetadata().getResourceVersion())).isPositive();
    assertThat(created.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(created.getSpec().getRestartPolicy()).isEqualTo("Always"); // defaulted
    assertThat(created.getKind()).isEqualTo("Pod");

    Pod got = client.get(Resources.PODS, ns, "p1");
    assertThat(got).isEqualTo(created);
  }

  @Test
  void generateNameGivesAUniqueName() {
    String ns = Objects.freshNamespace(client, "gen");
    Pod template = Objects.pod(ns, "", Map.of()).toBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setGenerateName("web-")).build();
    Pod a = client.create(template);
    Pod b = client.create(template);
    assertThat(a.getMetadata().getName()).startsWith("web-").hasSize(9);
    assertThat(a.getMetadata().getName()).isNotEqualTo(b.getMetadata().getName());
  }

  @Test
  void createInAMissingNamespaceFailsAndCreatingTwiceIsAlreadyExists() {
    assertThatThrownBy(() -> client.create(Objects.pod("no-such-ns", "p", Map.of())))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Status.Code.NOT_FOUND))
        .hasMessageContaining("namespaces \"no-such-ns\" not found");
    String ns = Objects.freshNamespace(client, "dup");
    client.create(Objects.pod(ns, "p", Map.of()));
    assertThatThrownBy(() -> client.create(Objects.pod(ns, "p", Map.of())))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Status.Code.ALREADY_EXISTS))
        .hasMessageContaining("pods \"p\" already exists");
  }

  @Test
  void listFiltersByLabelAndFieldSelectorsOnTheServer() {
    String ns = Objects.freshNamespace(client, "list");
    client.create(Objects.pod(ns, "a", Map.of("app", "web", "tier", "front")));
    client.create(Objects.pod(ns, "b", Map.of("app", "web", "tier", "back")));
    client.create(Objects.pod(ns, "c", Map.of("app", "db")));
    Pod onNode = Objects.pod(ns, "d", Map.of("app", "db"));
    client.create(onNode.toBuilder().setSpec(onNode.getSpec().toBuilder().setNodeName("node-x")).build());

    assertThat(names(client.list(Resources.PODS, ns, "app=web"))).containsExactly("a", "b");
    assertThat(names(client.list(Resources.PODS, ns, "app=web,tier!=back"))).containsExactly("a");
    assertThat(names(client.list(Resources.PODS, ns, "tier in (front,back)"))).containsExactly("a", "b");
    assertThat(names(client.list(Resources.PODS, ns, "app,!tier"))).containsExactly("c", "d");
    assertThat(names(client.list(Resources.PODS, ns, "app notin (web)"))).containsExactly("c", "d");
    assertThat(client.listRaw(Resources.PODS, ns, "", "spec.nodeName=node-x").getItemsList())
        .extracting(o -> KubeObjects.meta(o).getName()).containsExactly("d");
    assertThat(client.listRaw(Resources.PODS, ns, "", "spec.nodeName=").getItemsCount()).isEqualTo(3);
    assertThatThrownBy(() -> client.listRaw(Resources.PODS, ns, "", "spec.foo=x"))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void updateWithAStaleResourceVersionFailsAndChangesNothing() {
    String ns = Objects.freshNamespace(client, "stale");
    ReplicaSet rs = client.create(Objects.replicaSet(ns, "rs", 1));
    ReplicaSet fresh = client.update(withReplicas(rs, 2));
    assertThatThrownBy(() -> client.update(withReplicas(rs, 5)))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Status.Code.ABORTED))
        .hasMessageContaining("Operation cannot be fulfilled on replicasets.apps \"rs\": the object has been modified");
    ReplicaSet now = client.get(Resources.REPLICA_SETS, ns, "rs");
    assertThat(now.getSpec().getReplicas()).isEqualTo(2);
    assertThat(now.getMetadata().getResourceVersion()).isEqualTo(fresh.getMetadata().getResourceVersion());
  }

  @Test
  void ofTwoConcurrentUpdatesFromTheSameVersionExactlyOneWins() throws Exception {
    String ns = Objects.freshNamespace(client, "race");
    ReplicaSet rs = client.create(Objects.replicaSet(ns, "rs", 1));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<ReplicaSet>> results = new ArrayList<>();
    for (int replicas : new int[] {3, 4}) {
      results.add(pool.submit(() -> {
        go.await();
        return client.update(withReplicas(rs, replicas));
      }));
    }
    go.countDown();
    int wins = 0;
    int conflicts = 0;
    ReplicaSet winner = null;
    for (Future<ReplicaSet> f : results) {
      try {
        winner = f.get();
        wins++;
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(codeOf(e.getCause())).isEqualTo(Status.Code.ABORTED);
        conflicts++;
      }
    }
    pool.shutdown();
    assertThat(wins).isEqualTo(1);
    assertThat(conflicts).isEqualTo(1);
    assertThat(client.<ReplicaSet>get(Resources.REPLICA_SETS, ns, "rs").getSpec().getReplicas())
        .isEqualTo(winner.getSpec().getReplicas());
  }

  @Test
  void generationCountsSpecChangesAndStatusOnlyChangesThroughUpdateStatus() {
    String ns = Objects.freshNamespace(client, "gen");
    ReplicaSet rs = client.create(Objects.replicaSet(ns, "rs", 1));
    assertThat(rs.getMetadata().getGeneration()).isEqualTo(1);

    ReplicaSet labelled = client.update(rs.toBuilder()
        .setMetadata(rs.getMetadata().toBuilder().putLabels("x", "y")).build());
    assertThat(labelled.getMetadata().getGeneration()).isEqualTo(1);

    ReplicaSet scaled = client.update(withReplicas(labelled, 3));
    assertThat(scaled.getMetadata().getGeneration()).isEqualTo(2);

    // A status written through the main resource is ignored...
    ReplicaSet sneaky = client.update(scaled.toBuilder()
        .setStatus(scaled.getStatus().toBuilder().setReplicas(7)).build());
    assertThat(sneaky.getStatus().getReplicas()).isZero();
    // ...and a spec written through update-status is too.
    ReplicaSet statusWrite = client.updateStatus(withReplicas(sneaky, 9).toBuilder()
        .setStatus(sneaky.getStatus().toBuilder().setReplicas(3).setObservedGeneration(2)).build());
    assertThat(statusWrite.getStatus().getReplicas()).isEqualTo(3);
    assertThat(statusWrite.getSpec().getReplicas()).isEqualTo(3);
    assertThat(statusWrite.getMetadata().getGeneration()).isEqualTo(2);
  }

  @Test
  void anUpdateThatChangesNothingKeepsTheResourceVersion() {
    String ns = Objects.freshNamespace(client, "noop");
    ReplicaSet rs = client.create(Objects.replicaSet(ns, "rs", 1));
    ReplicaSet again = client.update(rs);
    assertThat(again.getMetadata().getResourceVersion()).isEqualTo(rs.getMetadata().getResourceVersion());
  }

  @Test
  void deletionWaitsForFinalizersAndRemovesTheObjectWhenTheLastOneGoes() {
    String ns = Objects.freshNamespace(client, "fin");
    ReplicaSet rs = Objects.replicaSet(ns, "rs", 1);
    client.create(rs.toBuilder().setMetadata(rs.getMetadata().toBuilder()
        .addFinalizers("example.com/a").addFinalizers("example.com/b")).build());

    DeleteResponse r = client.delete(Resources.REPLICA_SETS, ns, "rs");
    assertThat(r.getRemoved()).isFalse();
    ReplicaSet marked = client.get(Resources.REPLICA_SETS, ns, "rs");
    assertThat(marked.getMetadata().getDeletionTimestamp()).isNotEmpty();

    ReplicaSet oneLeft = client.update(marked.toBuilder()
        .setMetadata(marked.getMetadata().toBuilder().clearFinalizers().addFinalizers("example.com/b")).build());
    assertThat(oneLeft.getMetadata().getDeletionTimestamp()).isEqualTo(marked.getMetadata().getDeletionTimestamp());
    assertThat(client.find(Resources.REPLICA_SETS, ns, "rs")).isPresent();

    client.update(oneLeft.toBuilder().setMetadata(oneLeft.getMetadata().toBuilder().clearFinalizers()).build());
    assertThat(client.find(Resources.REPLICA_SETS, ns, "rs")).isEmpty();
  }

  @Test
  void propagationPoliciesAddTheGarbageCollectorsFinalizers() {
    String ns = Objects.freshNamespace(client, "prop");
    client.create(Objects.replicaSet(ns, "orphaned", 1));
    client.create(Objects.replicaSet(ns, "foreground", 1));
    client.delete(DeleteRequest.newBuilder().setResource("replicasets").setNamespace(ns).setName("orphaned")
        .setPropagationPolicy("Orphan").build());
    client.delete(DeleteRequest.newBuilder().setResource("replicasets").setNamespace(ns).setName("foreground")
        .setPropagationPolicy("Foreground").build());
    assertThat(client.<ReplicaSet>get(Resources.REPLICA_SETS, ns, "orphaned").getMetadata().getFinalizersList())
        .containsExactly("orphan");
    assertThat(client.<ReplicaSet>get(Resources.REPLICA_SETS, ns, "foreground").getMetadata().getFinalizersList())
        .containsExactly("foregroundDeletion");
  }

  @Test
  void aPodOnANodeIsRemovedOnlyWhenItsKubeletConfirms() {
    String ns = Objects.freshNamespace(client, "grace");
    String nodeName = "grace-node-" + System.nanoTime();
    client.create(Node.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(nodeName)).build());
    client.create(Objects.pod(ns, "p", Map.of()));
    client.blocking().bind(Binding.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName("p"))
        .setTarget(ObjectReference.newBuilder().setKind("Node").setName(nodeName)).build());

    DeleteResponse r = client.delete(Resources.PODS, ns, "p");
    assertThat(r.getRemoved()).isFalse();
    Pod terminating = client.get(Resources.PODS, ns, "p");
    assertThat(terminating.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30);
    assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotEmpty();

    // The kubelet, having stopped the containers, confirms with a zero grace period.
    DeleteResponse confirmed = client.delete(DeleteRequest.newBuilder().setResource("pods").setNamespace(ns)
        .setName("p").setGracePeriodSeconds(0).setPreconditionUid(terminating.getMetadata().getUid()).build());
    assertThat(confirmed.getRemoved()).isTrue();
    assertThat(client.find(Resources.PODS, ns, "p")).isEmpty();
  }

  @Test
  void bindingSetsTheNodeOnceAndMarksThePodScheduled() {
    String ns = Objects.freshNamespace(client, "bind");
    client.create(Objects.pod(ns, "p", Map.of()));
    Binding binding = Binding.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName("p"))
        .setTarget(ObjectReference.newBuilder().setKind("Node").setName("node-1")).build();
    client.blocking().bind(binding);
    Pod bound = client.get(Resources.PODS, ns, "p");
    assertThat(bound.getSpec().getNodeName()).isEqualTo("node-1");
    assertThat(bound.getStatus().getConditionsList())
        .anySatisfy(c -> {
          assertThat(c.getType()).isEqualTo("PodScheduled");
          assertThat(c.getStatus()).isEqualTo("True");
        });
    assertThatThrownBy(() -> client.blocking().bind(binding.toBuilder()
        .setTarget(ObjectReference.newBuilder().setName("node-2")).build()))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Status.Code.ABORTED))
        .hasMessageContaining("already assigned to node \"node-1\"");
  }

  @Test
  void scaleSubresourceReadsAndWritesReplicas() {
    String ns = Objects.freshNamespace(client, "scale");
    client.create(Objects.replicaSet(ns, "rs", 2));
    Scale scale = client.blocking().getScale(ScaleRequest.newBuilder().setResource("replicasets")
        .setNamespace(ns).setName("rs").build());
    assertThat(scale.getSpec().getReplicas()).isEqualTo(2);
    assertThat(scale.getStatus().getSelector()).isEqualTo("app=rs");

    Scale updated = client.blocking().updateScale(UpdateScaleRequest.newBuilder().setResource("replicasets")
        .setScale(scale.toBuilder().setSpec(scale.getSpec().toBuilder().setReplicas(5))).build());
    assertThat(updated.getSpec().getReplicas()).isEqualTo(5);
    assertThat(client.<ReplicaSet>get(Resources.REPLICA_SETS, ns, "rs").getSpec().getReplicas()).isEqualTo(5);

    // The scale's resourceVersion is the object's: a stale one conflicts.
    assertThatThrownBy(() -> client.blocking().updateScale(UpdateScaleRequest.newBuilder().setResource("replicasets")
        .setScale(scale.toBuilder().setSpec(scale.getSpec().toBuilder().setReplicas(1))).build()))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Status.Code.ABORTED));
  }

  private static ReplicaSet withReplicas(ReplicaSet rs, int replicas) {
    return rs.toBuilder().setSpec(rs.getSpec().toBuilder().setReplicas(replicas)).build();
  }

  private static List<String> names(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName()).sorted().toList();
  }
}
