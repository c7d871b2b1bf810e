package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minik8s.api.Lease;
import io.minik8s.client.ApiClient;
import io.minik8s.client.leaderelection.ApiLeaseLock;
import io.minik8s.client.leaderelection.LeaderElector;
import io.minik8s.client.leaderelection.LeaseLock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two candidates on the real api-server and etcd; the leader's api-server stalls (a proxy that
 * accepts and never answers) while the standby's stays healthy. The leader must stop acting by
 * its renew deadline, before the standby can take the lease, so the two leadership intervals,
 * taken from both electors' own callbacks, never overlap.
 */
@Timeout(120)
class LeaderElectionStallTest {
  private static final LeaderElector.Config CONFIG =
      new LeaderElector.Config(Duration.ofSeconds(12), Duration.ofSeconds(8), Duration.ofSeconds(1));

  /** Records when a candidate starts and stops acting as leader. */
  static final class Interval implements LeaderElector.Callbacks {
    final AtomicReference<Instant> start = new AtomicReference<>();
    final AtomicReference<Instant> end = new AtomicReference<>();

    @Override
    public void onStartedLeading() {
      start.compareAndSet(null, Instant.now());
    }

    @Override
    public void onStoppedLeading() {
      end.compareAndSet(null, Instant.now());
    }
  }

  /** The api-server lock, noting when each renewal that succeeded was sent. */
  static final class TimedLock implements LeaseLock {
    final ApiLeaseLock lock;
    volatile Instant lastRenewalSent = Instant.MIN;

    TimedLock(ApiLeaseLock lock) {
      this.lock = lock;
    }

    @Override
    public Optional<Lease> get(Duration timeout) {
      return lock.get(timeout);
    }

    @Override
    public boolean create(Lease lease, Duration timeout) {
      Instant sent = Instant.now();
      boolean ok = lock.create(lease, timeout);
      if (ok) {
        lastRenewalSent = sent;
      }
      return ok;
    }

    @Override
    public boolean update(Lease lease, Duration timeout) {
      Instant sent = Instant.now();
      boolean ok = lock.update(lease, timeout);
      if (ok) {
        lastRenewalSent = sent;
      }
      return ok;
    }

    @Override
    public String describe() {
      return lock.describe();
    }
  }

  @Test
  void aLeaderCutOffFromItsApiServerStopsBeforeTheStandbyTakesOver() throws Exception {
    ControlPlane cp = ControlPlane.shared();
    String ns = Objects.freshNamespace(cp.client, "stall");
    try (BlackHoleProxy proxy = new BlackHoleProxy(cp.apiServer.port());
         ApiClient viaProxy = ControlPlane.connect(proxy.address());
         ApiClient direct = ControlPlane.connect(cp.server())) {
      TimedLock lockA = new TimedLock(new ApiLeaseLock(viaProxy, ns, "stall-test"));
      Interval a = new Interval();
      Interval b = new Interval();
      LeaderElector electorA = new LeaderElector(lockA, "a", CONFIG, a, Clock.systemUTC());
      LeaderElector electorB = new LeaderElector(new ApiLeaseLock(direct, ns, "stall-test"), "b", CONFIG, b,
          Clock.systemUTC());
      // Both electors' own view, sampled: never may both say they lead.
      AtomicBoolean bothLed = new AtomicBoolean();
      AtomicBoolean sampling = new AtomicBoolean(true);
      Thread sampler = Thread.ofPlatform().daemon().start(() -> {
        while (sampling.get()) {
          if (electorA.isLeader() && electorB.isLeader()) {
            bothLed.set(true);
          }
          java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        }
      });
      try {
        Thread.ofPlatform().daemon().name("elector-a").start(electorA);
        await().atMost(Duration.ofSeconds(20)).until(() -> a.start.get() != null);
        Thread.ofPlatform().daemon().name("elector-b").start(electorB);
        // a renews through the proxy at least once more while b watches, then its server stalls.
        Instant before = Instant.now();
        await().atMost(Duration.ofSeconds(10)).until(() -> lockA.lastRenewalSent.isAfter(before));
        proxy.blackHole();

        await().atMost(Duration.ofSeconds(45)).until(() -> b.start.get() != null);
        Instant lastRenewal = lockA.lastRenewalSent;
        assertThat(a.end.get()).as("a stopped leading before b started").isNotNull().isBefore(b.start.get());
        assertThat(a.end.get()).as("a stopped within its renew deadline")
            .isBefore(lastRenewal.plus(CONFIG.renewDeadline()).plusSeconds(1));
        assertThat(b.start.get()).isAfter(lastRenewal.plus(CONFIG.leaseDuration()));
        assertThat(electorA.isLeader()).isFalse();
        assertThat(bothLed).isFalse();
      } finally {
        sampling.set(false);
        sampler.join();
        electorA.stop();
        electorB.stop();
      }
    }
  }
}
