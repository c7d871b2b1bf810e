package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minik8s.api.Event;
import io.minik8s.api.ListRequest;
import io.minik8s.api.ListResponse;
import io.minik8s.apiserver.ApiServer;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * More than 4 MiB of one kind in etcd (jetcd's default response limit, which an unpaginated
 * read hits): the API still lists it, whole or in pages, mkctl pages through it, and a restarted
 * api-server, which fills its watch cache from etcd, comes back ready. An etcd and api-server of
 * its own, since the test restarts the api-server.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class LargeListTest {
  static final int EVENTS = 6_000;
  static final String MESSAGE = "x".repeat(1_000);

  static EtcdCluster etcd;
  static String namespace;
  static ApiServer api;

  @BeforeAll
  static void start() throws Exception {
    etcd = EtcdCluster.start(1);
    api = ApiServer.start(ControlPlane.config(etcd));
  }

  @AfterAll
  static void stop() throws Exception {
    if (api != null) {
      api.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  @Test
  void moreThanFourMebibytesOfEventsListsInPagesAndSurvivesARestart() throws Exception {
    String server = "127.0.0.1:" + api.port();
    try (ApiClient client = ControlPlane.connect(server)) {
      String ns = Objects.freshNamespace(client, "big");
      namespace = ns;
      createEvents(client, ns);

      // One list without a limit: the whole kind in one response (more than 4 MiB).
      ListResponse whole = client.blocking().list(ListRequest.newBuilder()
          .setResource("events").setNamespace(ns).build());
      assertThat(whole.getItemsCount()).isEqualTo(EVENTS);
      assertThat(whole.getSerializedSize()).isGreaterThan(4 * 1024 * 1024);
      assertThat(whole.getContinue()).isEmpty();

      // In pages of 500 through the API: every event once, each page at the first page's revision.
      Set<String> names = new HashSet<>();
      String token = "";
      int pages = 0;
      String revision = null;
      do {
        ListResponse page = client.blocking().list(ListRequest.newBuilder()
            .setResource("events").setNamespace(ns).setLimit(500).setContinue(token).build());
        assertThat(page.getItemsCount()).isLessThanOrEqualTo(500);
        page.getItemsList().forEach(o -> names.add(o.getEvent().getMetadata().getName()));
        revision = revision == null ? page.getResourceVersion() : revision;
        assertThat(page.getResourceVersion()).isEqualTo(revision);
        token = page.getContinue();
        pages++;
      } while (!token.isEmpty());
      assertThat(names).hasSize(EVENTS);
      assertThat(pages).isEqualTo(EVENTS / 500);

      // The client's list helper pages (its pages are far below the client's message limit).
      assertThat(client.<Event>list(Resources.EVENTS, ns, "")).hasSize(EVENTS);
    }

    // mkctl pages through them.
    Mkctl.Result r = Mkctl.run(server, "get", "events", "-n", namespace, "-o", "name", "--chunk-size", "700");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().lines().count()).isEqualTo(EVENTS);

    // A restarted api-server fills its watch cache from etcd, in pages, and is ready again.
    api.close();
    api = ApiServer.start(ControlPlane.config(etcd));
    HttpClient http = HttpClient.newHttpClient();
    await().atMost(Duration.ofSeconds(60)).until(() -> http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.healthPort() + "/readyz")).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    try (ApiClient client = ControlPlane.connect("127.0.0.1:" + api.port())) {
      assertThat(client.<Event>list(Resources.EVENTS, namespace, "")).hasSize(EVENTS);
    }
  }

  /** Writes the events through the api-server, 32 at a time. */
  private static void createEvents(ApiClient client, String ns) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < EVENTS; i++) {
        int n = i;
        done.add(pool.submit(() -> client.create(Objects.event(ns, String.format("e-%05d", n), MESSAGE))));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
