package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.Client;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.api.ListRequest;
import io.minik8s.api.ListResponse;
import io.minik8s.api.Pod;
import io.minik8s.apiserver.ApiServer;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lists in pages through the API: limit and continue as Kubernetes has them, every page at the
 * first page's revision, selectors applied across pages, bad and expired tokens refused clearly.
 * An etcd of its own, since one test compacts it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ListPagingTest {
  static EtcdCluster etcd;
  static ApiServer api;
  static ApiClient client;

  @BeforeAll
  static void start() throws Exception {
    etcd = EtcdCluster.start(1);
    api = ApiServer.start(ControlPlane.config(etcd));
    client = ControlPlane.connect("127.0.0.1:" + api.port());
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    api.close();
    etcd.close();
  }

  private static String podsNamed(String ns, int n, Map<Integer, Map<String, String>> labels) {
    for (int i = 0; i < n; i++) {
      client.create(Objects.pod(ns, String.format("p%02d", i), labels.getOrDefault(i, Map.of())));
    }
    return ns;
  }

  private static ListResponse page(String ns, String labels, String fields, long limit, String token) {
    return client.blocking().list(ListRequest.newBuilder().setResource("pods").setNamespace(ns)
        .setLabelSelector(labels).setFieldSelector(fields).setLimit(limit).setContinue(token).build());
  }

  private static List<String> names(ListResponse r) {
    return r.getItemsList().stream().map(o -> o.getPod().getMetadata().getName()).toList();
  }

  private static Status statusOf(Throwable t) {
    return ((StatusRuntimeException) t).getStatus();
  }

  @Test
  void everyPageIsReadAtTheFirstPagesRevision() {
    String ns = podsNamed(Objects.freshNamespace(client, "pages"), 10, Map.of());
    ListResponse first = page(ns, "", "", 4, "");
    assertThat(names(first)).containsExactly("p00", "p01", "p02", "p03");
    assertThat(first.getContinue()).isNotEmpty();

    // Writes after the first page, in the range still to come: none of them shows in the later pages.
    client.create(Objects.pod(ns, "p04a", Map.of()));
    client.delete(Resources.PODS, ns, "p08");
    Pod p06 = client.get(Resources.PODS, ns, "p06");
    client.update(p06.toBuilder().setMetadata(p06.getMetadata().toBuilder().putLabels("changed", "yes")).build());

    List<String> rest = new ArrayList<>();
    String token = first.getContinue();
    while (!token.isEmpty()) {
      ListResponse next = page(ns, "", "", 4, token);
      assertThat(next.getResourceVersion()).isEqualTo(first.getResourceVersion());
      next.getItemsList().stream()
          .filter(o -> o.getPod().getMetadata().getName().equals("p06"))
          .forEach(o -> assertThat(o.getPod().getMetadata().getLabelsMap()).doesNotContainKey("changed"));
      rest.addAll(names(next));
      token = next.getContinue();
    }
    assertThat(rest).containsExactly("p04", "p05", "p06", "p07", "p08", "p09");

    // A new list sees them.
    assertThat(names(page(ns, "", "", 0, ""))).contains("p04a").doesNotContain("p08");
  }

  @Test
  void selectorsApplyAcrossPages() {
    String ns = Objects.freshNamespace(client, "sel");
    podsNamed(ns, 10, Map.of(1, Map.of("app", "web"), 4, Map.of("app", "web"), 5, Map.of("app", "web"),
        9, Map.of("app", "web")));
    List<String> web = new ArrayList<>();
    String token = "";
    do {
      ListResponse r = page(ns, "app=web", "", 2, token);
      assertThat(r.getItemsCount()).isLessThanOrEqualTo(2);
      web.addAll(names(r));
      token = r.getContinue();
    } while (!token.isEmpty());
    assertThat(web).containsExactly("p01", "p04", "p05", "p09");

    ListResponse one = page(ns, "", "metadata.name=p07", 1, "");
    assertThat(names(one)).containsExactly("p07");
  }

  @Test
  void theClientsListHelperPagesThroughEverything() {
    String ns = podsNamed(Objects.freshNamespace(client, "helper"), 12, Map.of());
    assertThat(client.<Pod>list(Resources.PODS, ns, "")).hasSize(12);
  }

  @Test
  void aBadContinueTokenOrLimitIsRefusedClearly() {
    String ns = podsNamed(Objects.freshNamespace(client, "bad"), 3, Map.of());
    assertThatThrownBy(() -> page(ns, "", "", 2, "not-a-token"))
        .satisfies(e -> assertThat(statusOf(e).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
        .satisfies(e -> assertThat(statusOf(e).getDescription()).startsWith("continue key is not valid"));
    assertThatThrownBy(() -> page(ns, "", "", -1, ""))
        .satisfies(e -> assertThat(statusOf(e).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
        .satisfies(e -> assertThat(statusOf(e).getDescription()).contains("limit"));
  }

  @Test
  void aTokenFromBeforeACompactionHasExpired() throws Exception {
    String ns = podsNamed(Objects.freshNamespace(client, "compact"), 5, Map.of());
    ListResponse first = page(ns, "", "", 2, "");
    client.create(Objects.pod(ns, "later", Map.of()));
    long now = Long.parseLong(page(ns, "", "", 1, "").getResourceVersion());
    try (Client jetcd = Client.builder().endpoints(etcd.endpoints().stream().map(e -> "http://" + e).toArray(String[]::new))
        .build()) {
      jetcd.getKVClient().compact(now).get(30, TimeUnit.SECONDS);
    }
    assertThatThrownBy(() -> page(ns, "", "", 2, first.getContinue()))
        .satisfies(e -> assertThat(statusOf(e).getCode()).isEqualTo(Status.Code.OUT_OF_RANGE))
        .satisfies(e -> assertThat(statusOf(e).getDescription())
            .contains("The provided continue parameter is too old to display a consistent list result"));
  }
}
