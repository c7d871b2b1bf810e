package io.minik8s.e2e;

import static io.minik8s.e2e.ControllerHarness.await;
import static io.minik8s.e2e.ControllerHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.OwnerReference;
import io.minik8s.api.Pod;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.WatchEvent;
import io.minik8s.api.WatchRequest;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ReplicaSet controller and the garbage collector on examples/frontend-replicaset.yaml, against a real api-server. */
class ControllerReplicaSetTest {
  static final String FRONTEND = "../examples/frontend-replicaset.yaml";
  static final String SELECTOR = "tier=frontend";
  static ControllerHarness h;

  @BeforeAll
  static void start() throws Exception {
    h = new ControllerHarness();
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  /** Applies the example in a fresh namespace and waits for its 3 pods. */
  private static String frontend(String prefix) {
    String ns = h.namespace(prefix);
    Mkctl.Result r = h.mkctl(ns, "apply", "-f", FRONTEND);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    eventually(() -> h.activePods(ns, SELECTOR), pods -> pods.size() == 3);
    return ns;
  }

  @Test
  void frontendCreatesThreePodsControlledByIt() {
    String ns = frontend("rs-create");
    ReplicaSet rs = h.get(Resources.REPLICA_SETS, ns, "frontend");
    for (Pod p : h.activePods(ns, SELECTOR)) {
      assertThat(p.getMetadata().getName()).startsWith("frontend-");
      assertThat(p.getMetadata().getOwnerReferencesList()).containsExactly(OwnerReference.newBuilder()
          .setApiVersion("apps/v1").setKind("ReplicaSet").setName("frontend").setUid(rs.getMetadata().getUid())
          .setController(true).setBlockOwnerDeletion(true).build());
      assertThat(p.getSpec().getContainers(0).getImage()).isEqualTo("gcr.io/google_samples/gb-frontend:v3");
    }
    ReplicaSet withStatus = eventually(() -> h.<ReplicaSet>get(Resources.REPLICA_SETS, ns, "frontend"),
        s -> s.getStatus().getReplicas() == 3);
    assertThat(withStatus.getStatus().getFullyLabeledReplicas()).isEqualTo(3);
    assertThat(withStatus.getStatus().getReadyReplicas()).isZero(); // no kubelet: nothing runs
    assertThat(withStatus.getStatus().getObservedGeneration()).isEqualTo(withStatus.getMetadata().getGeneration());
    await().until(() -> h.events(ns).stream().filter(e -> e.startsWith("SuccessfulCreate: Created pod: frontend-")).count() == 3);
  }

  @Test
  void aDeletedPodIsReplaced() {
    String ns = frontend("rs-replace");
    Pod victim = h.activePods(ns, SELECTOR).get(0);
    h.client.delete(Resources.PODS, ns, victim.getMetadata().getName());
    List<Pod> after = eventually(() -> h.activePods(ns, SELECTOR),
        pods -> pods.size() == 3 && pods.stream().noneMatch(p -> p.getMetadata().getName().equals(victim.getMetadata().getName())));
    assertThat(after).allMatch(p -> p.getMetadata().getOwnerReferencesCount() == 1);
    // No more than one replacement for one gap, even after the controller looked again.
    h.resync(Resources.REPLICA_SETS, ns, "frontend");
    assertThat(h.activePods(ns, SELECTOR)).hasSize(3);
  }

  @Test
  void aHandMadeMatchingPodIsAdoptedAndTheSurplusRemoved() {
    String ns = frontend("rs-adopt");
    // creationTimestamp has whole seconds: in the next second, the hand-made pod is strictly the newest.
    long newest = h.activePods(ns, SELECTOR).stream()
        .mapToLong(p -> Instant.parse(p.getMetadata().getCreationTimestamp()).getEpochSecond()).max().orElseThrow();
    await().until(() -> Instant.now().getEpochSecond() > newest);
    h.client.create(Objects.pod(ns, "handmade", Map.of("tier", "frontend")));
    // Adopted, it makes four; the newest (itself) is the one to go, by ActivePods' order.
    await().until(() -> h.events(ns).contains("SuccessfulDelete: Deleted pod: handmade"));
    assertThat(h.events(ns)).contains("Adopted: Adopted " + ns + "/handmade");
    await().until(() -> h.activePods(ns, SELECTOR).size() == 3
        && h.client.find(Resources.PODS, ns, "handmade").isEmpty());
    h.resync(Resources.REPLICA_SETS, ns, "frontend");
    assertThat(h.events(ns)).filteredOn(e -> e.startsWith("SuccessfulDelete")).hasSize(1);
    assertThat(h.activePods(ns, SELECTOR)).hasSize(3);
  }

  @Test
  void relabellingAPodReleasesItAndAReplacementAppears() {
    String ns = frontend("rs-release");
    Pod p = h.activePods(ns, SELECTOR).get(0);
    String name = p.getMetadata().getName();
    h.client.update(p.toBuilder().setMetadata(p.getMetadata().toBuilder().putLabels("tier", "debug")).build());
    Pod released = eventually(() -> h.<Pod>get(Resources.PODS, ns, name), x -> x.getMetadata().getOwnerReferencesCount() == 0);
    assertThat(released.getMetadata().getLabelsMap()).containsEntry("tier", "debug");
    List<Pod> pods = eventually(() -> h.activePods(ns, SELECTOR), l -> l.size() == 3);
    assertThat(pods).noneMatch(x -> x.getMetadata().getName().equals(name));
  }

  @Test
  void deletingTheReplicaSetDeletesItsPodsInTheBackground() {
    String ns = frontend("rs-gc");
    Mkctl.Result r = h.mkctl(ns, "delete", "rs", "frontend");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    await().until(() -> h.pods(ns, SELECTOR).isEmpty());
  }

  @Test
  void orphanCascadeKeepsThePodsWithoutOwnerReferences() {
    String ns = frontend("rs-orphan");
    Mkctl.Result r = h.mkctl(ns, "delete", "rs", "frontend", "--cascade=orphan");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    await().until(() -> h.client.find(Resources.REPLICA_SETS, ns, "frontend").isEmpty());
    List<Pod> pods = h.pods(ns, SELECTOR);
    assertThat(pods).hasSize(3).allMatch(p -> p.getMetadata().getOwnerReferencesCount() == 0);
    // The garbage collector looks at each orphan once more (a touch is an update it handles); none goes.
    h.awaitSyncs("garbagecollector", pods.size(), () -> pods.forEach(p -> h.touch(p)));
    assertThat(h.activePods(ns, SELECTOR)).hasSize(3);
  }

  @Test
  void foregroundCascadeDeletesThePodsBeforeTheReplicaSet() {
    String ns = frontend("rs-foreground");
    try (WatchRecorder podWatch = WatchRecorder.start(h.client, watch("pods", ns));
         WatchRecorder rsWatch = WatchRecorder.start(h.client, watch("replicasets", ns))) {
      Mkctl.Result r = h.mkctl(ns, "delete", "rs", "frontend", "--cascade=foreground");
      assertThat(r.exitCode()).as(r.toString()).isZero();
      await().until(() -> h.client.find(Resources.REPLICA_SETS, ns, "frontend").isEmpty());
      assertThat(h.pods(ns, SELECTOR)).isEmpty();
      await().until(() -> deletions(podWatch).size() == 3 && deletions(rsWatch).size() == 1);
      long rsGone = deletions(rsWatch).get(0);
      assertThat(deletions(podWatch)).allMatch(rev -> rev < rsGone);
      // While its pods went, the set waited with the foregroundDeletion finalizer.
      assertThat(rsWatch.changes()).anyMatch(e -> KubeObjects.meta(e.getObject()).getFinalizersList().contains("foregroundDeletion")
          && !KubeObjects.meta(e.getObject()).getDeletionTimestamp().isEmpty());
    }
  }

  @Test
  void servesHealthReadinessAndPerControllerMetrics() throws Exception {
    frontend("rs-metrics");
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + h.manager.healthPort();
    for (String path : List.of("/healthz", "/readyz")) {
      var resp = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(resp.statusCode()).as(path).isEqualTo(200);
      assertThat(resp.body()).isEqualTo("ok");
    }
    String metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/metrics")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).containsPattern("controller_syncs_total\\{[^}]*controller=\"replicaset\"[^}]*\\} [1-9]")
        .contains("controller_sync_errors_total{").contains("workqueue_depth{");
  }

  private static WatchRequest watch(String resource, String ns) {
    String from = h.client.listRaw(Resources.requireResource(resource), ns, "", "").getResourceVersion();
    return WatchRequest.newBuilder().setResource(resource).setNamespace(ns).setResourceVersion(from).build();
  }

  private static List<Long> deletions(WatchRecorder w) {
    return w.changes().stream().filter(e -> e.getType().equals("DELETED"))
        .map(WatchEvent::getResourceVersion).map(Long::parseLong).toList();
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
