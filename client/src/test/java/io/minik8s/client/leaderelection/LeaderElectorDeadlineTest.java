package io.minik8s.client.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minik8s.api.Lease;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A leader whose lease calls stall must stop acting by its renew deadline, whether or not a call
 * is still in flight: runs the elector on the real clock with short durations.
 */
@Timeout(60)
class LeaderElectorDeadlineTest {
  static final LeaderElector.Config CONFIG =
      new LeaderElector.Config(Duration.ofSeconds(12), Duration.ofSeconds(8), Duration.ofSeconds(1));

  /** The memory lock, until {@link #stall} is set: then every call hangs and ignores interrupts. */
  static final class StallingLock implements LeaseLock {
    final LeaderElectorTest.MemoryLock store = new LeaderElectorTest.MemoryLock();
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean stall;
    volatile Instant lastUpdateSent = Instant.MIN;
    /** The latest moment any call made while stalled was allowed to run until. */
    final AtomicReference<Instant> latestCallDeadline = new AtomicReference<>(Instant.MIN);

    private void maybeStall(Duration timeout) {
      if (stall) {
        latestCallDeadline.accumulateAndGet(Instant.now().plus(timeout), (a, b) -> a.isAfter(b) ? a : b);
      }
      while (stall && release.getCount() > 0) {
        try {
          release.await();
        } catch (InterruptedException e) {
          // a call that does not honour interrupts, as a blocked socket read does not
        }
      }
    }

    @Override
    public Optional<Lease> get(Duration timeout) {
      maybeStall(timeout);
      return store.get(timeout);
    }

    @Override
    public boolean create(Lease lease, Duration timeout) {
      maybeStall(timeout);
      return store.create(lease, timeout);
    }

    @Override
    public boolean update(Lease lease, Duration timeout) {
      Instant sent = Instant.now();
      maybeStall(timeout);
      boolean ok = store.update(lease, timeout);
      if (ok) {
        lastUpdateSent = sent;
      }
      return ok;
    }

    @Override
    public String describe() {
      return "kube-system/stalling";
    }
  }

  final StallingLock lock = new StallingLock();
  final AtomicReference<Instant> started = new AtomicReference<>();
  final AtomicReference<Instant> stopped = new AtomicReference<>();
  final LeaderElector elector = new LeaderElector(lock, "a", CONFIG, new LeaderElector.Callbacks() {
    @Override
    public void onStartedLeading() {
      started.set(Instant.now());
    }

    @Override
    public void onStoppedLeading() {
      stopped.set(Instant.now());
    }
  }, Clock.systemUTC());

  @AfterEach
  void release() {
    elector.stop();
    lock.release.countDown();
  }

  @Test
  void aLeaderWhoseRenewHangsStopsByItsRenewDeadline() {
    Thread.ofPlatform().daemon().start(elector);
    await().atMost(Duration.ofSeconds(20)).until(() -> elector.isLeader() && lock.lastUpdateSent != Instant.MIN);
    lock.stall = true;
    Instant stalledAt = Instant.now();

    await().atMost(Duration.ofSeconds(20)).until(() -> stopped.get() != null);
    assertThat(elector.isLeader()).isFalse();
    // The lease counts from the last renewal that went out; the leader must be gone a renew
    // deadline later (plus scheduling slack), well before a standby could take the lease.
    Instant mustStopBy = lock.lastUpdateSent.plus(CONFIG.renewDeadline()).plusMillis(1000);
    assertThat(stopped.get()).isBefore(mustStopBy).isAfter(stalledAt);
    assertThat(stopped.get()).isBefore(lock.lastUpdateSent.plus(CONFIG.leaseDuration()));
    // The call that hung was given no more than the time left before the renew deadline.
    assertThat(lock.latestCallDeadline.get()).isAfter(stalledAt)
        .isBefore(lock.lastUpdateSent.plus(CONFIG.renewDeadline()).plusMillis(50));
  }
}
