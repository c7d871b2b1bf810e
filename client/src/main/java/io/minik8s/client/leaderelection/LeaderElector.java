package io.minik8s.client.leaderelection;

import io.minik8s.api.Lease;
import io.minik8s.api.LeaseSpec;
import io.minik8s.api.ObjectMeta;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a Lease, as client-go's leaderelection package does it. Candidates try to
 * take the lease every retry period (with jitter); the holder renews it, and if it cannot renew
 * within the renew deadline it stops leading at once. A lease counts as expired when its record
 * has not changed for a lease duration <em>as observed by this candidate's own clock</em>, so
 * clock skew between machines does not matter.
 *
 * <p>A leader counts its lease from the moment its last successful renewal was <em>sent</em>
 * (the earliest a standby can have seen it), gives every lease call a deadline no later than
 * that moment plus the renew deadline, and a watchdog ends its leadership at that moment plus
 * the renew deadline even if a call is still in flight: as client-go's renew runs under a
 * context with the renew deadline (Kubernetes' staging/src/k8s.io/client-go/tools/leaderelection/
 * leaderelection.go). Since the renew deadline is shorter than the lease duration, the old leader
 * has stopped before any standby can take over.
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
  private final ScheduledExecutorService watchdog;
  private volatile boolean leading;
  private volatile boolean stopped;
  /** When the last successful renewal (or the acquisition) was sent: the lease counts from there. */
  private Instant renewedAt;
  private ScheduledFuture<?> expiry;
  private Lease observed;
  private Instant observedAt;
  private String lastLeader = "";
  private String lastReadError; // the last failure to read the lease, logged once

  public LeaderElector(LeaseLock lock, String identity, Config config, Callbacks callbacks, Clock clock) {
    this.lock = lock;
    this.identity = identity;
    this.config = config;
    this.callbacks = callbacks;
    this.clock = clock;
    this.watchdog = Executors.newSingleThreadScheduledExecutor(
        r -> Thread.ofPlatform().name("leader-watchdog-" + identity).daemon().unstarted(r));
  }

  /**
   * Whether this candidate may act as leader now: it holds the lease and its last renewal is
   * younger than the renew deadline. Work that must never run twice checks this before acting.
   */
  public synchronized boolean isLeader() {
    return leading && clock.instant().isBefore(renewDeadlineAt());
  }

  public String identity() {
    return identity;
  }

  /** Campaigns until leader, leads until the lease is lost, then returns. */
  @Override
  public void run() {
    try {
      log.info("{} campaigning for lease {}", identity, lock.describe());
      Instant attempt = clock.instant();
      while (!stopped && !attempt(attempt.plus(config.renewDeadline()))) {
        sleep(jittered(config.retryPeriod()));
        attempt = clock.instant();
      }
      if (stopped) {
        return;
      }
      startLeading(attempt);
      renewLoop();
    } finally {
      watchdog.shutdownNow();
    }
  }

  /**
   * client-go's renew: every retry period, try to renew with a deadline at most the time left
   * before the renew deadline. The watchdog, not this loop, ends leadership at that deadline, so
   * a call that hangs past its own deadline cannot keep a leader acting.
   */
  private void renewLoop() {
    while (!stopped && leading) {
      sleep(config.retryPeriod());
      Instant attempt = clock.instant();
      Instant deadline;
      synchronized (this) {
        if (!leading) {
          break;
        }
        deadline = renewDeadlineAt();
      }
      if (!attempt.isBefore(deadline)) {
        break;
      }
      if (attempt(deadline)) {
        renewed(attempt);
      }
    }
    stopLeading(stopped ? "stopped" : "renew deadline " + config.renewDeadline() + " passed");
  }

  private boolean attempt(Instant deadline) {
    try {
      return tryAcquireOrRenew(deadline);
    } catch (RuntimeException e) {
      log.warn("{}: lease {} attempt failed: {}", identity, lock.describe(), e.toString());
      return false;
    }
  }

  private synchronized void startLeading(Instant acquiredAt) {
    renewedAt = acquiredAt;
    leading = true;
    armWatchdog();
    log.info("{} became leader of {}", identity, lock.describe());
    Thread.ofPlatform().name("leader-" + identity).daemon().start(callbacks::onStartedLeading);
  }

  private synchronized void renewed(Instant sentAt) {
    if (leading) {
      renewedAt = sentAt;
      armWatchdog();
    }
  }

  private void armWatchdog() {
    if (expiry != null) {
      expiry.cancel(false);
    }
    long delay = Math.max(0, Duration.between(clock.instant(), renewDeadlineAt()).toMillis());
    expiry = watchdog.schedule(this::expireIfDue, delay, TimeUnit.MILLISECONDS);
  }

  /** The watchdog fired: unless a renewal moved the deadline meanwhile, leadership ends now. */
  private void expireIfDue() {
    synchronized (this) {
      if (!leading) {
        return;
      }
      if (clock.instant().isBefore(renewDeadlineAt())) {
        armWatchdog();
        return;
      }
    }
    stopLeading("not renewed within " + config.renewDeadline());
  }

  /** Ends leadership once: leading goes false before the callback, which runs at once. */
  private void stopLeading(String reason) {
    synchronized (this) {
      if (!leading) {
        return;
      }
      leading = false;
      if (expiry != null) {
        expiry.cancel(false);
      }
    }
    log.warn("{} stops leading {}: {}", identity, lock.describe(), reason);
    callbacks.onStoppedLeading();
  }

  private Instant renewDeadlineAt() {
    return renewedAt == null ? Instant.MIN : renewedAt.plus(config.renewDeadline());
  }

  /** Stops campaigning or leading; a leader gives up (callbacks.onStoppedLeading runs). */
  public void stop() {
    stopped = true;
  }

  /** {@link #tryAcquireOrRenew(Instant)} with a renew deadline from now. */
  boolean tryAcquireOrRenew() {
    return tryAcquireOrRenew(clock.instant().plus(config.renewDeadline()));
  }

  /**
   * One attempt: take the lease if it is free or expired, renew it if it is ours. Returns
   * whether we hold it afterwards. Every call to the lock gets the time left until
   * {@code deadline}; none is made once it has passed.
   */
  boolean tryAcquireOrRenew(Instant deadline) {
    Instant now = clock.instant();
    String nowText = now.truncatedTo(ChronoUnit.MICROS).toString();
    Optional<Lease> current;
    try {
      current = lock.get(timeLeft(deadline));
      lastReadError = null;
    } catch (RuntimeException e) {
      // As Kubernetes' "error retrieving resource lock": a WARN, once per distinct error (a refusal
      // by RBAC repeats every retry period and would flood the log), the rest at debug.
      String error = e.toString();
      if (!error.equals(lastReadError)) {
        log.warn("{}: reading lease {} failed: {}", identity, lock.describe(), error);
        lastReadError = error;
      } else {
        log.debug("reading lease {} failed again: {}", lock.describe(), error);
      }
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
      if (!lock.create(fresh, timeLeft(deadline))) {
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
    if (!lock.update(updated, timeLeft(deadline))) {
      return false;
    }
    observe(updated, now);
    return true;
  }

  /** The time a lock call may take; throws (counted as a failed attempt) once none is left. */
  private Duration timeLeft(Instant deadline) {
    Duration left = Duration.between(clock.instant(), deadline);
    if (left.isNegative() || left.isZero()) {
      throw new IllegalStateException("renew deadline passed");
    }
    return left;
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
