package io.minik8s.apiserver.storage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongUnaryOperator;

/**
 * Hands out etcd leases for keys that must expire (Events, after {@code --event-ttl}), sharing one
 * lease between all the keys written within a short time of each other instead of granting one per
 * key (Kubernetes' k8s.io/apiserver/pkg/storage/etcd3/lease_manager.go). A lease is granted for the TTL plus a reuse
 * window (5% of the TTL, at most a minute) and handed out again while it still has at least the
 * TTL to live, for at most 1000 keys; so a key lives between its TTL and its TTL plus the window.
 */
public final class LeaseManager {
  static final Duration MAX_REUSE = Duration.ofSeconds(60);
  static final double REUSE_PERCENT = 0.05;
  static final int MAX_KEYS_PER_LEASE = 1000;

  private final LongUnaryOperator grant;
  private final Clock clock;
  private long leaseId;
  private Instant leaseExpires = Instant.MIN;
  private int keysOnLease;

  /** {@code grant} asks etcd for a lease of the given seconds and returns its id. */
  public LeaseManager(LongUnaryOperator grant, Clock clock) {
    this.grant = grant;
    this.clock = clock;
  }

  /** A lease that lives at least {@code ttlSeconds} more. */
  public synchronized long leaseFor(long ttlSeconds) {
    Instant now = clock.instant();
    long reuseSeconds = reuseSeconds(ttlSeconds);
    boolean livesLongEnough = now.plusSeconds(ttlSeconds).isBefore(leaseExpires);
    boolean notTooLong = !leaseExpires.isAfter(now.plusSeconds(ttlSeconds + reuseSeconds));
    keysOnLease++;
    if (livesLongEnough && notTooLong && keysOnLease <= MAX_KEYS_PER_LEASE) {
      return leaseId;
    }
    long granted = ttlSeconds + reuseSeconds;
    leaseId = grant.applyAsLong(granted);
    leaseExpires = now.plusSeconds(granted);
    keysOnLease = 1;
    return leaseId;
  }

  static long reuseSeconds(long ttlSeconds) {
    return Math.min((long) (REUSE_PERCENT * ttlSeconds), MAX_REUSE.toSeconds());
  }
}
