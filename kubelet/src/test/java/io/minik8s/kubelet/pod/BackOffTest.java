package io.minik8s.kubelet.pod;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BackOffTest {
  @Test
  void doublesFromTenSecondsUpToFiveMinutes() {
    BackOff b = new BackOff(Duration.ofSeconds(10), Duration.ofMinutes(5),
        Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    assertThat(b.remaining("k", Instant.parse("2026-01-01T00:00:00Z"))).isZero();
    assertThat(b.next("k")).hasSeconds(10);
    assertThat(b.next("k")).hasSeconds(20);
    for (int i = 0; i < 10; i++) {
      b.next("k");
    }
    assertThat(b.delay("k")).isEqualTo(Duration.ofMinutes(5));
    assertThat(b.remaining("k", Instant.parse("2025-12-31T23:59:00Z"))).isEqualTo(Duration.ofMinutes(4));
  }
}
