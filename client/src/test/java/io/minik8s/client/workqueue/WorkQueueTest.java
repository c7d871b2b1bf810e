package io.minik8s.client.workqueue;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.client.clock.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkQueueTest {

  /** A clock that only moves when told to. */
  @Test
  void aKeyAddedSeveralTimesBeforeProcessingIsHandedOutOnce() throws Exception {
    try (WorkQueue<String> q = new WorkQueue<>("t")) {
      q.add("a");
      q.add("b");
      q.add("a");
      assertThat(q.length()).isEqualTo(2);
      assertThat(q.get()).contains("a");
      assertThat(q.get()).contains("b");
    }
  }

  @Test
  void aKeyBeingProcessedIsNotGivenToASecondWorkerButRequeuedOnDone() throws Exception {
    try (WorkQueue<String> q = new WorkQueue<>("t")) {
      q.add("a");
      assertThat(q.get()).contains("a");
      q.add("a"); // changed while a worker holds it
      assertThat(q.length()).isZero();
      q.done("a");
      assertThat(q.length()).isEqualTo(1);
      assertThat(q.get()).contains("a");
      q.done("a");
      assertThat(q.length()).isZero();
    }
  }

  @Test
  void getReturnsEmptyAfterShutDown() throws Exception {
    WorkQueue<String> q = new WorkQueue<>("t");
    q.shutDown();
    assertThat(q.get()).isEmpty();
  }

  @Test
  void addAfterDeliversTheKeyLater() throws Exception {
    try (WorkQueue<String> q = new WorkQueue<>("t")) {
      q.addAfter("late", Duration.ofMillis(100));
      assertThat(q.length()).isZero();
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> q.length() == 1);
      assertThat(q.get()).contains("late");
    }
  }

  @Test
  void perKeyBackoffDoublesUpToTheCapAndForgetResetsIt() {
    FakeClock clock = new FakeClock();
    RateLimiter<String> r = new RateLimiter<>(Duration.ofMillis(5), Duration.ofSeconds(1), 1000, 1000, clock);
    assertThat(r.when("k")).isEqualTo(Duration.ofMillis(5));
    assertThat(r.when("k")).isEqualTo(Duration.ofMillis(10));
    assertThat(r.when("k")).isEqualTo(Duration.ofMillis(20));
    assertThat(r.when("other")).isEqualTo(Duration.ofMillis(5));
    for (int i = 0; i < 20; i++) {
      r.when("k");
    }
    assertThat(r.when("k")).isEqualTo(Duration.ofSeconds(1));
    r.forget("k");
    assertThat(r.when("k")).isEqualTo(Duration.ofMillis(5));
  }

  @Test
  void theSharedBucketSpacesRetriesOnceTheBurstIsSpent() {
    FakeClock clock = new FakeClock();
    RateLimiter<String> r = new RateLimiter<>(Duration.ofMillis(1), Duration.ofSeconds(1), 10, 2, clock);
    assertThat(r.when("a")).isEqualTo(Duration.ofMillis(1));
    assertThat(r.when("b")).isEqualTo(Duration.ofMillis(1));
    // burst spent: the third waits for a token (10/s: 100 ms)
    assertThat(r.when("c")).isEqualTo(Duration.ofMillis(100));
    clock.advance(Duration.ofSeconds(10));
    assertThat(r.when("d")).isEqualTo(Duration.ofMillis(1));
  }
}
