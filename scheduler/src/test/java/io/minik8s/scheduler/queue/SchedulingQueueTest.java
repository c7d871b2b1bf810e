package io.minik8s.scheduler.queue;

import static io.minik8s.scheduler.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Pod;
import io.minik8s.client.clock.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SchedulingQueueTest {
  private final FakeClock clock = new FakeClock();
  private final SchedulingQueue queue = new SchedulingQueue(clock);

  private QueuedPodInfo failUnschedulable(Pod pod) throws InterruptedException {
    queue.add(pod);
    QueuedPodInfo q = queue.pop();
    queue.addUnschedulableIfNotPresent(q, queue.schedulingCycle());
    return q;
  }

  @Test
  void unschedulablePodIsNotRetriedUntilARelevantEvent() throws InterruptedException {
    failUnschedulable(pod("a", "1", null).build());
    assertThat(queue.unschedulableLength()).isEqualTo(1);
    // time alone (short of the 5 minute flush) changes nothing, however often the flushes run
    for (int i = 0; i < 60; i++) {
      clock.advance(Duration.ofSeconds(1));
      queue.flushBackoffQCompleted();
      queue.flushUnschedulablePodsLeftover();
    }
    assertThat(queue.activeLength()).isZero();
    assertThat(queue.unschedulableLength()).isEqualTo(1);
    queue.moveAllToActiveOrBackoffQueue("NodeAdd");
    assertThat(queue.unschedulableLength()).isZero();
    assertThat(queue.activeLength()).isEqualTo(1);
  }

  @Test
  void podMovedWhileStillBackingOffWaitsInBackoff() throws InterruptedException {
    failUnschedulable(pod("a", "1", null).build());
    clock.advance(Duration.ofMillis(500));
    queue.moveAllToActiveOrBackoffQueue("NodeAdd");
    assertThat(queue.backoffLength()).isEqualTo(1);
    queue.flushBackoffQCompleted();
    assertThat(queue.activeLength()).isZero();
    clock.advance(Duration.ofMillis(500));
    queue.flushBackoffQCompleted();
    assertThat(queue.activeLength()).isEqualTo(1);
  }

  @Test
  void backoffDoublesFromOneSecondToTenSeconds() {
    assertThat(SchedulingQueue.backoffDuration(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(SchedulingQueue.backoffDuration(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(SchedulingQueue.backoffDuration(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(SchedulingQueue.backoffDuration(4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(SchedulingQueue.backoffDuration(5)).isEqualTo(Duration.ofSeconds(10));
    assertThat(SchedulingQueue.backoffDuration(50)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void failedAttemptsBackOffLongerEachTime() throws InterruptedException {
    queue.add(pod("a", "1", null).build());
    for (int attempt = 1; attempt <= 5; attempt++) {
      QueuedPodInfo q = queue.pop();
      assertThat(q.attempts()).isEqualTo(attempt);
      queue.addBackoffIfNotPresent(q);
      Duration expected = SchedulingQueue.backoffDuration(attempt);
      clock.advance(expected.minusMillis(1));
      queue.flushBackoffQCompleted();
      assertThat(queue.activeLength()).as("attempt %d still backing off", attempt).isZero();
      clock.advance(Duration.ofMillis(1));
      queue.flushBackoffQCompleted();
      assertThat(queue.activeLength()).as("attempt %d done backing off after %s", attempt, expected).isEqualTo(1);
    }
  }

  @Test
  void unschedulablePodsAreFlushedAfterFiveMinutes() throws InterruptedException {
    failUnschedulable(pod("a", "1", null).build());
    clock.advance(Duration.ofMinutes(5));
    queue.flushUnschedulablePodsLeftover();
    assertThat(queue.unschedulableLength()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    queue.flushUnschedulablePodsLeftover();
    assertThat(queue.unschedulableLength()).isZero();
    assertThat(queue.activeLength()).isEqualTo(1);
  }

  @Test
  void aChangeDuringTheCycleSendsTheFailedPodToBackoffNotUnschedulable() throws InterruptedException {
    queue.add(pod("a", "1", null).build());
    QueuedPodInfo q = queue.pop();
    long cycle = queue.schedulingCycle();
    queue.moveAllToActiveOrBackoffQueue("NodeAdd"); // a node arrived while we were deciding
    queue.addUnschedulableIfNotPresent(q, cycle);
    assertThat(queue.unschedulableLength()).isZero();
    assertThat(queue.backoffLength()).isEqualTo(1);
  }

  @Test
  void specChangeOfAnUnschedulablePodRequeuesItButStatusChangeDoesNot() throws InterruptedException {
    Pod old = pod("a", "1", null).build();
    failUnschedulable(old);
    clock.advance(Duration.ofSeconds(2));
    Pod statusOnly = old.toBuilder().setStatus(old.getStatus().toBuilder().setMessage("x")).build();
    queue.update(old, statusOnly);
    assertThat(queue.unschedulableLength()).isEqualTo(1);
    Pod smaller = pod("a", "100m", null).build();
    queue.update(statusOnly, smaller);
    assertThat(queue.activeLength()).isEqualTo(1);
    assertThat(queue.pop().podInfo().requests().milliCpu()).isEqualTo(100);
  }

  @Test
  void higherPriorityFirstThenOldest() throws InterruptedException {
    queue.add(pod("first", null, null).build());
    clock.advance(Duration.ofMillis(1));
    queue.add(pod("second", null, null).build());
    Pod.Builder urgent = pod("urgent", null, null);
    urgent.getSpecBuilder().setPriority(1000);
    clock.advance(Duration.ofMillis(1));
    queue.add(urgent.build());
    assertThat(queue.pop().podInfo().name()).isEqualTo("urgent");
    assertThat(queue.pop().podInfo().name()).isEqualTo("first");
    assertThat(queue.pop().podInfo().name()).isEqualTo("second");
  }

  @Test
  void deletedPodLeavesEveryPart() throws InterruptedException {
    Pod p = pod("a", "1", null).build();
    failUnschedulable(p);
    queue.delete(p);
    queue.moveAllToActiveOrBackoffQueue("NodeAdd");
    assertThat(queue.activeLength() + queue.backoffLength() + queue.unschedulableLength()).isZero();
  }
}
