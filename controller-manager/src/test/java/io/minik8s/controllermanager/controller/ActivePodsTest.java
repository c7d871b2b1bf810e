package io.minik8s.controllermanager.controller;

import static io.minik8s.controllermanager.testing.TestObjects.created;
import static io.minik8s.controllermanager.testing.TestObjects.pod;
import static io.minik8s.controllermanager.testing.TestObjects.running;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Pod;
import io.minik8s.api.PodStatus;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ActivePodsTest {
  @Test
  void ordersThePodsToDeleteFirstFirst() {
    Pod readyLong = running(pod("ready-long", Map.of()), "n", true, "2026-01-01T00:00:00Z");
    Pod readyShort = running(pod("ready-short", Map.of()), "n", true, "2026-01-01T01:00:00Z");
    Pod notReady = running(pod("not-ready", Map.of()), "n", false, "2026-01-01T00:00:00Z");
    Pod unknown = pod("unknown", Map.of()).toBuilder().setSpec(pod("x", Map.of()).getSpec().toBuilder().setNodeName("n"))
        .setStatus(PodStatus.newBuilder().setPhase("Unknown")).build();
    Pod pendingOld = created(pod("pending-old", Map.of()).toBuilder().setSpec(pod("x", Map.of()).getSpec().toBuilder().setNodeName("n")).build(),
        "2025-01-01T00:00:00Z");
    Pod pendingNew = created(pod("pending-new", Map.of()).toBuilder().setSpec(pod("x", Map.of()).getSpec().toBuilder().setNodeName("n")).build(),
        "2025-06-01T00:00:00Z");
    Pod unscheduled = pod("unscheduled", Map.of());
    List<String> order = Stream.of(readyLong, readyShort, notReady, unknown, pendingOld, pendingNew, unscheduled)
        .sorted(ActivePods.ORDER).map(p -> p.getMetadata().getName()).toList();
    assertThat(order).containsExactly("unscheduled", "pending-new", "pending-old", "unknown", "not-ready", "ready-short", "ready-long");
  }

  @Test
  void hashesAreStableAndSafe() {
    var t = io.minik8s.controllermanager.testing.TestObjects.template(Map.of("app", "web"), "nginx");
    assertThat(Hashing.templateHash(t, 0)).isEqualTo(Hashing.templateHash(t.toBuilder().build(), 0))
        .matches("[bcdfghjklmnpqrstvwxz2456789]+").isNotEqualTo(Hashing.templateHash(t, 1));
  }
}
