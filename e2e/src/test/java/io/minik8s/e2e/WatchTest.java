package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.etcd.jetcd.Client;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.minik8s.api.ApiGrpc;
import io.minik8s.api.ListResponse;
import io.minik8s.api.Pod;
import io.minik8s.api.WatchEvent;
import io.minik8s.api.WatchRequest;
import io.minik8s.apiserver.ApiServer;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Watch semantics: order, exactly-once, resumption, selectors, bookmarks, expiry. */
class WatchTest {
  static ControlPlane cp;
  static ApiClient client;

  @BeforeAll
  static void start() {
    cp = ControlPlane.shared();
    client = cp.client;
  }

  private static WatchRequest.Builder podsIn(String ns) {
    return WatchRequest.newBuilder().setResource("pods").setNamespace(ns);
  }

  /** Makes 3 pods and changes them: 3 ADDED, 3 MODIFIED, 1 DELETED, in this order. */
  private static List<String> churn(String ns) {
    List<String> expected = new ArrayList<>();
    for (String n : List.of("a", "b", "c")) {
      client.create(Objects.pod(ns, n, Map.of("app", "w")));
      expected.add("ADDED " + n);
    }
    for (String n : List.of("c", "a", "b")) {
      Pod p = client.get(Resources.PODS, ns, n);
      client.update(p.toBuilder().setMetadata(p.getMetadata().toBuilder().putLabels("round", "2")).build());
      expected.add("MODIFIED " + n);
    }
    client.delete(Resources.PODS, ns, "b");
    expected.add("DELETED b");
    return expected;
  }

  private static List<String> describe(List<WatchEvent> events) {
    return events.stream().map(e -> e.getType() + " " + KubeObjects.meta(e.getObject()).getName()).toList();
  }

  /**
   * Creates one more pod the watch selects and waits for its ADDED. A watch delivers in order, so
   * every event before it, a repeated or stray one included, has arrived: the positive signal
   * that replaces "wait a while and see that nothing more came". The changes before it.
   */
  private static List<String> describeUpToSentinel(ApiClient c, WatchRecorder w, String ns, Map<String, String> labels) {
    c.create(Objects.pod(ns, "sentinel", labels));
    Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> describe(w.changes()).contains("ADDED sentinel") || w.error.get() != null);
    assertThat(w.error.get()).as("the watch failed").isNull();
    List<String> seen = describe(w.changes());
    assertThat(seen).endsWith("ADDED sentinel");
    return seen.subList(0, seen.size() - 1);
  }

  private static void assertRevisionsStrictlyIncrease(List<WatchEvent> events) {
    long last = 0;
    for (WatchEvent e : events) {
      long rv = Long.parseLong(KubeObjects.meta(e.getObject()).getResourceVersion());
      assertThat(rv).isGreaterThan(last);
      last = rv;
    }
  }

  @Test
  void watchFromAListsResourceVersionDeliversEveryChangeOnceInOrder() {
    String ns = Objects.freshNamespace(client, "watch");
    ListResponse list = client.listRaw(Resources.PODS, ns, "", "");
    try (WatchRecorder w = WatchRecorder.start(client, podsIn(ns).setResourceVersion(list.getResourceVersion()).build())) {
      List<String> expected = churn(ns);
      assertThat(describeUpToSentinel(client, w, ns, Map.of())).containsExactlyElementsOf(expected);
      assertRevisionsStrictlyIncrease(w.changes());
      // a DELETED event carries the last state of the object
      assertThat(((Pod) KubeObjects.unwrap(w.changes().get(6).getObject())).getMetadata().getLabelsMap())
          .containsEntry("round", "2");
    }
  }

  @Test
  void watchWithoutAResourceVersionStartsWithTheCurrentObjects() {
    String ns = Objects.freshNamespace(client, "watch0");
    client.create(Objects.pod(ns, "x", Map.of()));
    client.create(Objects.pod(ns, "y", Map.of()));
    try (WatchRecorder w = WatchRecorder.start(client, podsIn(ns).build())) {
      w.awaitChanges(2);
      client.create(Objects.pod(ns, "z", Map.of()));
      w.awaitChanges(3);
      assertThat(describe(w.changes())).containsExactly("ADDED x", "ADDED y", "ADDED z");
    }
  }

  @Test
  void aLabelSelectorTurnsObjectsLeavingAndEnteringTheSelectionIntoDeletedAndAdded() {
    String ns = Objects.freshNamespace(client, "watchsel");
    ListResponse list = client.listRaw(Resources.PODS, ns, "", "");
    try (WatchRecorder w = WatchRecorder.start(client,
        podsIn(ns).setLabelSelector("app=w").setResourceVersion(list.getResourceVersion()).build())) {
      client.create(Objects.pod(ns, "p", Map.of("app", "w")));
      client.create(Objects.pod(ns, "other", Map.of("app", "nope")));
      Pod p = client.get(Resources.PODS, ns, "p");
      Pod moved = client.update(p.toBuilder().setMetadata(p.getMetadata().toBuilder().putLabels("app", "x")).build());
      client.update(moved.toBuilder().setMetadata(moved.getMetadata().toBuilder().putLabels("app", "w")).build());
      assertThat(describeUpToSentinel(client, w, ns, Map.of("app", "w"))).containsExactly("ADDED p", "DELETED p", "ADDED p");
    }
  }

  @Test
  void bookmarksCarryTheNewestResourceVersion() {
    String ns = Objects.freshNamespace(client, "bookmark");
    ListResponse list = client.listRaw(Resources.PODS, ns, "", "");
    try (WatchRecorder w = WatchRecorder.start(client,
        podsIn(ns).setAllowWatchBookmarks(true).setResourceVersion(list.getResourceVersion()).build())) {
      Pod p = client.create(Objects.pod(ns, "p", Map.of()));
      long created = Long.parseLong(p.getMetadata().getResourceVersion());
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> w.events.stream()
          .anyMatch(e -> e.getType().equals("BOOKMARK") && Long.parseLong(e.getResourceVersion()) >= created));
    }
  }

  @Test
  void aWatchResumesAcrossAnApiServerRestartWithoutLosingOrRepeatingChanges() throws Exception {
    ApiServer first = ApiServer.start(ControlPlane.config(cp.etcd));
    String ns;
    List<String> seen = new ArrayList<>();
    String lastRv;
    try (ApiClient c1 = ControlPlane.connect("127.0.0.1:" + first.port())) {
      ns = Objects.freshNamespace(c1, "restart");
      ListResponse list = c1.listRaw(Resources.PODS, ns, "", "");
      try (WatchRecorder w = WatchRecorder.start(c1, podsIn(ns).setResourceVersion(list.getResourceVersion()).build())) {
        c1.create(Objects.pod(ns, "before-1", Map.of()));
        c1.create(Objects.pod(ns, "before-2", Map.of()));
        w.awaitChanges(2);
        seen.addAll(describe(w.changes()));
        lastRv = KubeObjects.meta(w.changes().get(1).getObject()).getResourceVersion();
      }
    } finally {
      first.close();
    }
    // While no api-server runs this watch, the cluster moves on (through the shared api-server).
    client.create(Objects.pod(ns, "during-1", Map.of()));
    Pod b1 = client.get(Resources.PODS, ns, "before-1");
    client.update(b1.toBuilder().setMetadata(b1.getMetadata().toBuilder().putLabels("x", "1")).build());

    ApiServer second = ApiServer.start(ControlPlane.config(cp.etcd));
    try (ApiClient c2 = ControlPlane.connect("127.0.0.1:" + second.port());
        WatchRecorder w = WatchRecorder.start(c2, podsIn(ns).setResourceVersion(lastRv).build())) {
      c2.create(Objects.pod(ns, "after-1", Map.of()));
      seen.addAll(describeUpToSentinel(c2, w, ns, Map.of()));
    } finally {
      second.close();
    }
    assertThat(seen).containsExactly(
        "ADDED before-1", "ADDED before-2", "ADDED during-1", "MODIFIED before-1", "ADDED after-1");
  }

  @Test
  void aCompactedResourceVersionIsExpiredAndTellsTheClientToListAgain() throws Exception {
    // A small window, so an old version is served from etcd's history, which compaction removes.
    ApiServer server = ApiServer.start(ControlPlane.config(cp.etcd).withWatchWindow(2));
    try (ApiClient c = ControlPlane.connect("127.0.0.1:" + server.port());
        Client etcd = Client.builder().endpoints(cp.etcd.endpoints().stream().map(e -> "http://" + e).toArray(String[]::new)).build()) {
      String ns = Objects.freshNamespace(c, "compact");
      String oldRv = c.listRaw(Resources.PODS, ns, "", "").getResourceVersion();
      for (int i = 0; i < 5; i++) {
        c.create(Objects.pod(ns, "p" + i, Map.of()));
      }
      long now = Long.parseLong(c.listRaw(Resources.PODS, ns, "", "").getResourceVersion());
      etcd.getKVClient().compact(now).get();
      try (WatchRecorder w = WatchRecorder.start(c, podsIn(ns).setResourceVersion(oldRv).build())) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> w.error.get() != null);
        StatusRuntimeException e = (StatusRuntimeException) w.error.get();
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
        assertThat(e.getStatus().getDescription()).contains("too old resource version");
        assertThat(w.changes()).isEmpty();
      }
    } finally {
      server.close();
    }
  }

  @Test
  @Timeout(60)
  void aWatchFromAVersionNewerThanTheCachesNeverReplaysOlderChanges() {
    String ns = Objects.freshNamespace(client, "watch-newer");
    long now = Long.parseLong(client.listRaw(Resources.PODS, ns, "", "").getResourceVersion());
    long from = now + 3; // etcd and the watch cache have not reached it yet
    try (WatchRecorder w = WatchRecorder.start(client, podsIn(ns).setResourceVersion(Long.toString(from)).build())) {
      List<String> newer = new ArrayList<>();
      String last = null;
      for (int i = 0; i < 6; i++) {
        Pod p = client.create(Objects.pod(ns, "p" + i, Map.of()));
        last = p.getMetadata().getName();
        if (Long.parseLong(p.getMetadata().getResourceVersion()) > from) {
          newer.add("ADDED " + last);
        }
      }
      String lastPod = last;
      // changes arrive in order, so once the last pod is in, everything before it is too
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> w.error.get() != null
          || w.changes().stream().anyMatch(e -> KubeObjects.meta(e.getObject()).getName().equals(lastPod)));
      assertThat(w.error.get()).isNull();
      assertThat(newer).isNotEmpty();
      assertThat(describe(w.changes())).containsExactlyElementsOf(newer);
      assertThat(w.events).allMatch(e -> Long.parseLong(e.getResourceVersion()) > from);
    }
  }

  @Test
  @Timeout(60)
  void aWatchFromAVersionEtcdHasNotReachedIsRefusedAsTooLargeWithARetryAfter() throws Exception {
    String ns = Objects.freshNamespace(client, "watch-future");
    long future = Long.parseLong(client.listRaw(Resources.PODS, ns, "", "").getResourceVersion()) + 1_000_000;
    // no client retries here, to see the api-server's own answer and how long it took
    ManagedChannel channel = NettyChannelBuilder.forTarget(cp.server())
        .sslContext(TestPki.shared().admin().sslContext().orElseThrow()).disableRetry().build();
    try {
      long start = System.nanoTime();
      Iterator<WatchEvent> events = ApiGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
          .watch(podsIn(ns).setResourceVersion(Long.toString(future)).build());
      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, events::hasNext);
      Duration waited = Duration.ofNanos(System.nanoTime() - start);
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(e.getStatus().getDescription()).startsWith("Too large resource version: " + future + ", current: ");
      assertThat(e.getTrailers().get(Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER)))
          .isEqualTo("1000");
      // it waited for etcd to catch up before refusing, as Kubernetes' cacher does (3 s)
      assertThat(waited).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(20));
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
