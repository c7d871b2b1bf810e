package io.minik8s.kubeproxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.client.clock.FakeClock;
import io.minik8s.kubeproxy.ServicePortInfo.Endpoint;
import io.minik8s.kubeproxy.proxy.Backends;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackendsTest {
  static final Endpoint A = new Endpoint("10.244.0.2", 80);
  static final Endpoint B = new Endpoint("10.244.0.3", 80);
  static final Endpoint C = new Endpoint("10.244.1.2", 80);

  @Test
  void roundRobinVisitsEveryEndpointAndOffersTheOthersAsFallbacks() {
    Backends b = new Backends(false, Duration.ZERO, Clock.systemUTC());
    b.set(List.of(A, B, C));
    Set<Endpoint> firsts = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      List<Endpoint> c = b.candidates("1.2.3.4");
      assertThat(c).containsExactlyInAnyOrder(A, B, C);
      firsts.add(c.get(0));
    }
    assertThat(firsts).containsExactlyInAnyOrder(A, B, C);
  }

  @Test
  void clientIpAffinityKeepsAClientOnItsEndpointUntilTheTimeout() {
    FakeClock clock = new FakeClock();
    Backends b = new Backends(true, Duration.ofSeconds(60), clock);
    b.set(List.of(A, B, C));
    Endpoint first = b.candidates("1.2.3.4").get(0);
    b.used("1.2.3.4", first);
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(10));
      Endpoint again = b.candidates("1.2.3.4").get(0);
      assertThat(again).isEqualTo(first);
      b.used("1.2.3.4", again);
    }
    clock.advance(Duration.ofSeconds(61));
    Set<Endpoint> afterTimeout = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      afterTimeout.add(b.candidates("1.2.3.4").get(0));
    }
    assertThat(afterTimeout).hasSize(3);
  }

  @Test
  void affinityToAnEndpointThatWentAwayIsDropped() {
    FakeClock clock = new FakeClock();
    Backends b = new Backends(true, Duration.ofSeconds(600), clock);
    b.set(List.of(A, B));
    b.used("1.2.3.4", A);
    b.set(List.of(B, C));
    assertThat(b.candidates("1.2.3.4")).doesNotContain(A);
  }

  @Test
  void anAffinityEntryIsDroppedOnceIdleForTheTimeoutEvenIfTheClientNeverComesBack() {
    FakeClock clock = new FakeClock();
    Backends b = new Backends(true, Duration.ofSeconds(60), clock);
    b.set(List.of(A, B, C));
    for (int i = 0; i < 100; i++) {
      b.used("10.0.0." + i, A);
    }
    assertThat(b.affinityEntries()).isEqualTo(100);
    clock.advance(Duration.ofSeconds(30));
    b.used("10.0.1.1", B);
    assertThat(b.affinityEntries()).as("none has been idle for the timeout yet").isEqualTo(101);
    clock.advance(Duration.ofSeconds(31));
    b.used("10.0.1.2", C); // any later connection reaps what expired
    assertThat(b.affinityEntries()).as("the first 100 expired").isEqualTo(2);
    clock.advance(Duration.ofSeconds(61));
    b.set(List.of(A, B, C)); // so does an endpoints update
    assertThat(b.affinityEntries()).isZero();
  }

  @Test
  void aClientThatKeepsComingBackKeepsItsEntry() {
    FakeClock clock = new FakeClock();
    Backends b = new Backends(true, Duration.ofSeconds(60), clock);
    b.set(List.of(A, B, C));
    b.used("1.2.3.4", B);
    b.used("5.6.7.8", A);
    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofSeconds(50));
      assertThat(b.candidates("1.2.3.4").get(0)).isEqualTo(B);
      b.used("1.2.3.4", B);
    }
    assertThat(b.affinityEntries()).isEqualTo(1);
  }

  @Test
  void affinityEntriesAreBoundedAndTheLeastRecentlyUsedGoesFirst() {
    FakeClock clock = new FakeClock();
    Backends b = new Backends(true, Duration.ofSeconds(10800), clock, 1000);
    b.set(List.of(A, B, C));
    b.used("1.2.3.4", C);
    for (int i = 0; i < 5000; i++) {
      clock.advance(Duration.ofMillis(1));
      b.used("10.1." + (i / 256) + "." + (i % 256), A);
      if (i % 500 == 0) {
        b.used("1.2.3.4", C); // a regular client stays among the recent ones
      }
    }
    assertThat(b.affinityEntries()).isEqualTo(1000);
    assertThat(b.candidates("1.2.3.4").get(0)).isEqualTo(C);
    assertThat(b.candidates("10.1.19.135").get(0)).as("the newest client").isEqualTo(A);
  }

  @Test
  void noEndpointsMeansNoCandidates() {
    Backends b = new Backends(false, Duration.ZERO, Clock.systemUTC());
    assertThat(b.candidates("1.2.3.4")).isEmpty();
  }
}
