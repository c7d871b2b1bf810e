package io.minik8s.client.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minik8s.api.Lease;
import io.minik8s.api.ObjectMeta;
import io.minik8s.client.clock.FakeClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaderElectorTest {

  /** An in-memory lease with compare-and-swap on a version counter, as the api-server does it. */
  static final class MemoryLock implements LeaseLock {
    Lease lease;
    long version;

    @Override
    public synchronized Optional<Lease> get(Duration timeout) {
      return Optional.ofNullable(lease);
    }

    @Override
    public synchronized boolean create(Lease l, Duration timeout) {
      if (lease != null) {
        return false;
      }
      lease = withVersion(l, ++version);
      return true;
    }

    @Override
    public synchronized boolean update(Lease l, Duration timeout) {
      if (lease == null || !lease.getMetadata().getResourceVersion().equals(l.getMetadata().getResourceVersion())) {
        return false;
      }
      lease = withVersion(l, ++version);
      return true;
    }

    private static Lease withVersion(Lease l, long v) {
      return l.toBuilder().setMetadata(ObjectMeta.newBuilder(l.getMetadata()).setResourceVersion(Long.toString(v))).build();
    }

    @Override
    public String describe() {
      return "kube-system/test";
    }
  }

  static final LeaderElector.Callbacks NOTHING = new LeaderElector.Callbacks() {
    @Override
    public void onStartedLeading() {}

    @Override
    public void onStoppedLeading() {}
  };

  final MemoryLock lock = new MemoryLock();
  final FakeClock clock = new FakeClock();

  LeaderElector candidate(String id) {
    return new LeaderElector(lock, id, LeaderElector.Config.defaults(), NOTHING, clock);
  }

  @Test
  void theFirstCandidateTakesTheLeaseAndTheSecondWaits() {
    LeaderElector a = candidate("a");
    LeaderElector b = candidate("b");
    assertThat(a.tryAcquireOrRenew()).isTrue();
    assertThat(b.tryAcquireOrRenew()).isFalse();
    assertThat(lock.lease.getSpec().getHolderIdentity()).isEqualTo("a");
    assertThat(lock.lease.getSpec().getLeaseDurationSeconds()).isEqualTo(15);
  }

  @Test
  void aRenewingLeaderKeepsTheLeaseForever() {
    LeaderElector a = candidate("a");
    LeaderElector b = candidate("b");
    a.tryAcquireOrRenew();
    b.tryAcquireOrRenew();
    for (int i = 0; i < 20; i++) {
      clock.advance(Duration.ofSeconds(2));
      assertThat(a.tryAcquireOrRenew()).isTrue();
      assertThat(b.tryAcquireOrRenew()).isFalse();
    }
  }

  @Test
  void aSilentLeaderLosesTheLeaseOnlyAfterTheLeaseDurationAsSeenByTheCandidate() {
    LeaderElector a = candidate("a");
    LeaderElector b = candidate("b");
    a.tryAcquireOrRenew();
    b.tryAcquireOrRenew(); // b observes the record now
    clock.advance(Duration.ofSeconds(14));
    assertThat(b.tryAcquireOrRenew()).isFalse();
    clock.advance(Duration.ofSeconds(2));
    assertThat(b.tryAcquireOrRenew()).isTrue();
    assertThat(lock.lease.getSpec().getHolderIdentity()).isEqualTo("b");
    assertThat(lock.lease.getSpec().getLeaseTransitions()).isEqualTo(1);
    // The old leader, waking up, finds the lease taken and does not get it back.
    assertThat(a.tryAcquireOrRenew()).isFalse();
  }

  @Test
  void noLockCallIsMadeOnceTheRenewDeadlineHasPassed() {
    LeaderElector a = candidate("a");
    assertThat(a.tryAcquireOrRenew()).isTrue();
    long version = lock.version;
    java.time.Instant deadline = clock.instant().plus(Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(10));
    assertThat(a.tryAcquireOrRenew(deadline)).isFalse();
    assertThat(lock.version).isEqualTo(version);
  }

  @Test
  void configRejectsDurationsThatCannotWork() {
    assertThatThrownBy(() -> new LeaderElector.Config(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(2)))
        .hasMessageContaining("leaseDuration must be greater than renewDeadline");
    assertThatThrownBy(() -> new LeaderElector.Config(Duration.ofSeconds(15), Duration.ofSeconds(2), Duration.ofSeconds(2)))
        .hasMessageContaining("renewDeadline must be greater than retryPeriod");
  }
}
