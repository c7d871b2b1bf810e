package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.apiserver.ApiServer;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.Resources;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An object larger than etcd takes (1.5 MiB) is refused once, at once, with "request is too
 * large" (Kubernetes' 413) instead of being sent again and again and failing UNAVAILABLE; a
 * request over the api-server's own limit (3 MiB) is refused by gRPC before it is read. An
 * api-server of its own, on the shared etcd, so that its request counts are this test's alone.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TooLargeObjectTest {
  static ApiServer api;
  static ApiClient client;

  @BeforeAll
  static void start() throws Exception {
    api = ApiServer.start(ControlPlane.config(ControlPlane.shared().etcd));
    client = ControlPlane.connect("127.0.0.1:" + api.port());
  }

  @AfterAll
  static void stop() {
    client.close();
    api.close();
  }

  /** How many event creates the api-server has answered, whatever the outcome. */
  private static long eventCreates() throws Exception {
    String metrics = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.healthPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = Pattern.compile("apiserver_request_duration_seconds_count\\{([^}]*)} (\\S+)").matcher(metrics);
    long total = 0;
    while (m.find()) {
      if (m.group(1).contains("resource=\"events\"") && m.group(1).contains("verb=\"create\"")) {
        total += (long) Double.parseDouble(m.group(2));
      }
    }
    return total;
  }

  private static Status statusOf(Throwable t) {
    return ((StatusRuntimeException) t).getStatus();
  }

  /**
   * 1.7 MiB passes etcd's gRPC limit and fails etcd's own check ("request is too large"); 2.5 MiB
   * fails etcd's gRPC limit (1.5 MiB + 512 KiB: "received message larger than max"). Both are one answer.
   */
  @ParameterizedTest
  @ValueSource(ints = {1740 * 1024, 2560 * 1024})
  void anObjectLargerThanEtcdTakesIsRefusedOnceAndAtOnce(int bytes) throws Exception {
    String ns = Objects.freshNamespace(client, "large");
    long before = eventCreates();
    long start = System.nanoTime();
    assertThatThrownBy(() -> client.create(Objects.event(ns, "big", "x".repeat(bytes))))
        .satisfies(e -> assertThat(statusOf(e).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED))
        .satisfies(e -> assertThat(statusOf(e).getDescription())
            .startsWith("Request entity too large: the object is over etcd's request size limit"));
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(eventCreates() - before).as("creates the api-server answered").isEqualTo(1);
    assertThat(elapsedMs).isLessThan(5_000);
    assertThat(client.find(Resources.EVENTS, ns, "big")).isEmpty();

    // A normal one still goes through.
    client.create(Objects.event(ns, "small", "x".repeat(100)));
  }

  @Test
  void aRequestOverTheApiServersLimitIsRefusedBeforeItIsRead() throws Exception {
    String ns = Objects.freshNamespace(client, "huge");
    long before = eventCreates();
    assertThatThrownBy(() -> client.create(Objects.event(ns, "huge", "x".repeat(4 * 1024 * 1024))))
        .satisfies(e -> assertThat(statusOf(e).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    assertThat(eventCreates()).isEqualTo(before);
    assertThat(client.find(Resources.EVENTS, ns, "huge")).isEmpty();
  }
}
