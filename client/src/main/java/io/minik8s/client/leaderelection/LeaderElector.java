package io.minik8s.client.leaderelection;

import io.minik8s.api.Lease;
import io.minik8s.api.LeaseSpec;
import io.minik8s.api.ObjectMeta;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a Lease, as client-go's leaderelection package does it. Candidates try to
 * take the lease every retry period (with jitter); the holder renews it, and if it cannot renew
 * within the renew deadline it stops leading at once. A lease counts as expired when its record
 * has not changed for a lease duration <em>as observed by this candidate's own clock</em>, so
 * clock skew between machines does not matter.
 */
public final class LeaderElector implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(LeaderElector.class);
  private static final double JITTER = 1.2;

  /** What the process does with leadership. */
  public interface Callbacks {
    /** Called on a thread of its own when this candidate becomes leader. */
    void onStartedLeading();

    /** Called when leadership is lost or given up: stop acting now. */
    void onStoppedLeading();

    default void onNewLeader(String identity) {}
  }

  public record Config(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    public Config {
      if (leaseDuration.compareTo(renewDeadline) <= 0) {
        throw new IllegalArgumentException("leaseDuration must be greater than renewDeadline");
      }
      if (renewDeadline.toMillis() <= (long) (JITTER * retryPeriod.toMillis())) {
        throw new IllegalArgumentException("renewDeadline must be greater than retryPeriod*" + JITTER);
      }
      if (retryPeriod.isNegative() || retryPeriod.isZero()) {
        throw new IllegalArgumentException("retryPeriod must be positive");
      }
    }

    /** Kubernetes' defaults: 15 s lease, 10 s renew deadline, 2 s retry. */
    public static Config defaults() {
      return new Config(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
    }
  }

  private final LeaseLock lock;
  private final String identity;
  private final Config config;
  private final Callbacks callbacks;
  private final Clock clock;
  private volatile boolean leading;
  private volatile boolean stopped;
  private Lease observed;
  private Instant observedAt;
  private String lastLeader = "";

  public LeaderElector(LeaseLock lock, String identity, Config config, Callbacks callbacks, Clock clock) {
    this.lock = lock;
    this.identity = identity;
    this.config = config;
    this.callbacks = callbacks;
    this.clock = clock;
  }

  public boolean isLeader() {
    return leading;
  }

  public String identity() {
    return identity;
  }

  /** Campaigns until leader, leads until the lease is lost, then returns. */
  @Override
  public void run() {
    log.info("{} campaigning for lease {}", identity, lock.describe());
    while (!stopped && !tryAcquireOrRenew()) {
      sleep(jittered(config.retryPeriod()));
    }
    if (stopped) {
      return;
    }
    leading = true;
    log.info("{} became leader of {}", identity, lock.describe());
    Thread.ofPlatform().name("leader-" + identity).daemon().start(callbacks::onStartedLeading);
    Instant lastRenew = clock.instant();
    while (!stopped) {
      sleep(config.retryPeriod());
      boolean renewed;
      try {
        renewed = tryAcquireOrRenew();
      } catch (RuntimeException e) {
        renewed = false;
      }
      if (renewed) {
        lastRenew = clock.instant();
      } else if (Duration.between(lastRenew, clock.instant()).compareTo(config.renewDeadline()) >= 0) {
        log.warn("{} failed to renew lease {} within {}: stopping", identity, lock.describe(), config.renewDeadline());
        break;
      }
    }
    leading = false;
    callbacks.onStoppedLeading();
  }

  /** Stops campaigning or leading; a leader gives up (callbacks.onStoppedLeading runs). */
  public void stop() {
    stopped = true;
  }

  /**
   * One attempt: take the lease if it is free or expired, renew it if it is ours. Returns
   * whether we hold it afterwards.
   */
  boolean tryAcquireOrRenew() {
    Instant now = clock.instant();
    String nowText = now.truncatedTo(ChronoUnit.MICROS).toString();
    Optional<Lease> current;
    try {
      current = lock.get();
    } catch (RuntimeException e) {
      log.debug("reading lease {} failed: {}", lock.describe(), e.toString());
      return false;
    }
    if (current.isEmpty()) {
      Lease fresh = Lease.newBuilder()
          .setMetadata(ObjectMeta.getDefaultInstance())
          .setSpec(LeaseSpec.newBuilder()
              .setHolderIdentity(identity)
              .setLeaseDurationSeconds((int) config.leaseDuration().toSeconds())
              .setAcquireTime(nowText)
              .setRenewTime(nowText)
              .setLeaseTransitions(0))
          .build();
      if (!lock.create(fresh)) {
        return false;
      }
      observe(fresh, now);
      return true;
    }
    Lease lease = current.get();
    if (observed == null || !observed.getSpec().equals(lease.getSpec())) {
      observe(lease, now);
    }
    String holder = lease.getSpec().getHolderIdentity();
    boolean mine = identity.equals(holder);
    boolean expired = observedAt.plus(config.leaseDuration()).isBefore(now) || holder.isEmpty();
    if (!mine && !expired) {
      return false;
    }
    LeaseSpec.Builder spec = lease.getSpec().toBuilder()
        .setHolderIdentity(identity)
        .setLeaseDurationSeconds((int) config.leaseDuration().toSeconds())
        .setRenewTime(nowText);
    if (!mine) {
      spec.setAcquireTime(nowText).setLeaseTransitions(lease.getSpec().getLeaseTransitions() + 1);
    }
    Lease updated = lease.toBuilder().setSpec(spec).build();
    if (!lock.update(updated)) {
      return false;
    }
    observe(updated, now);
    return true;
  }

  private void observe(Lease lease, Instant now) {
    observed = lease;
    observedAt = now;
    String holder = lease.getSpec().getHolderIdentity();
    if (!holder.equals(lastLeader)) {
      lastLeader = holder;
      if (!holder.isEmpty()) {
        log.info("lease {} is held by {}", lock.describe(), holder);
        callbacks.onNewLeader(holder);
      }
    }
  }

  private static Duration jittered(Duration d) {
    return d.plusMillis((long) (d.toMillis() * (JITTER - 1) * ThreadLocalRandom.current().nextDouble()));
  }

  private void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
    }
  }
}
