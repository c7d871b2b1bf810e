package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.minik8s.api.Event;
import io.minik8s.apiserver.ApiServer;
import io.minik8s.apiserver.registry.ObjectCodec;
import io.minik8s.client.ApiClient;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Events expire through etcd leases (--event-ttl), shared by the events written together; other
 * kinds never expire. An api-server of its own with a TTL of 20 s, on the shared etcd (the shortest
 * TTL whose lease is shared: a lease is reused for 5% of the TTL, here 1 s).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class EventTtlTest {
  static ControlPlane cp;
  static ApiServer api;
  static ApiClient client;
  static Client jetcd;

  @BeforeAll
  static void start() throws Exception {
    cp = ControlPlane.shared();
    api = ApiServer.start(ControlPlane.config(cp.etcd).withEventTtl(Duration.ofSeconds(20)));
    client = ControlPlane.connect("127.0.0.1:" + api.port());
    jetcd = Client.builder().endpoints(cp.etcd.endpoints().stream().map(e -> "http://" + e).toArray(String[]::new)).build();
  }

  @AfterAll
  static void stop() {
    jetcd.close();
    client.close();
    api.close();
  }

  private static long leaseOf(ResourceType type, String ns, String name) throws Exception {
    String key = ObjectCodec.key(type, ns, name);
    return jetcd.getKVClient().get(ByteSequence.from(key, StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS)
        .getKvs().stream().findFirst().map(KeyValue::getLease).orElseThrow();
  }

  @Test
  void eventsWrittenTogetherShareALeaseAndAreGoneAfterTheTtl() throws Exception {
    String ns = Objects.freshNamespace(client, "ttl");
    client.create(Objects.event(ns, "a", "started"));
    client.create(Objects.event(ns, "b", "started"));
    client.create(Objects.pod(ns, "web", Map.of()));
    long lease = leaseOf(Resources.EVENTS, ns, "a");
    assertThat(lease).isNotZero();
    assertThat(leaseOf(Resources.EVENTS, ns, "b")).isEqualTo(lease);
    assertThat(leaseOf(Resources.PODS, ns, "web")).isZero();

    // An update (a repeated event's count) keeps the event on a lease: a put without one would detach it.
    Event a = client.get(Resources.EVENTS, ns, "a");
    client.update(a.toBuilder().setCount(2).build());
    assertThat(leaseOf(Resources.EVENTS, ns, "a")).isNotZero();

    await().atMost(Duration.ofSeconds(60)).until(() ->
        client.find(Resources.EVENTS, ns, "a").isEmpty() && client.find(Resources.EVENTS, ns, "b").isEmpty());
    assertThat(client.find(Resources.PODS, ns, "web")).isPresent();
  }
}
