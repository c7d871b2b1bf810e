package io.minik8s.client.workqueue;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How long a failing key waits before its next try: per key, base × 2^failures up to a cap
 * (client-go's ItemExponentialFailureRateLimiter), and overall at most {@code qps} retries a
 * second with a burst (its BucketRateLimiter); the larger of the two wins. Time comes from the
 * given clock so tests can move it.
 *
 * <p>Mirrors Kubernetes' staging/src/k8s.io/client-go/util/workqueue/default_rate_limiters.go.
 */
public final class RateLimiter<K> {
  private final Duration base;
  private final Duration max;
  private final double qps;
  private final int burst;
  private final Clock clock;
  private final Map<K, Integer> failures = new HashMap<>();
  private double tokens;
  private long lastRefillNanos;

  public RateLimiter(Duration base, Duration max, double qps, int burst, Clock clock) {
    this.base = base;
    this.max = max;
    this.qps = qps;
    this.burst = burst;
    this.clock = clock;
    this.tokens = burst;
    this.lastRefillNanos = nanos();
  }

  /** client-go's defaults: 5 ms doubling to 1000 s per key; 10 retries/s with a burst of 100 overall. */
  public static <K> RateLimiter<K> defaults() {
    return new RateLimiter<>(Duration.ofMillis(5), Duration.ofSeconds(1000), 10, 100, Clock.systemUTC());
  }

  public synchronized Duration when(K key) {
    int n = failures.merge(key, 1, Integer::sum) - 1;
    Duration perKey = n >= 40 ? max : base.multipliedBy(1L << Math.min(n, 40));
    if (perKey.compareTo(max) > 0) {
      perKey = max;
    }
    Duration overall = bucketDelay();
    return perKey.compareTo(overall) >= 0 ? perKey : overall;
  }

  public synchronized void forget(K key) {
    failures.remove(key);
  }

  public synchronized int failures(K key) {
    return failures.getOrDefault(key, 0);
  }

  /** Takes a token from the shared bucket; the wait until it is there. */
  private Duration bucketDelay() {
    long now = nanos();
    tokens = Math.min(burst, tokens + (now - lastRefillNanos) / 1e9 * qps);
    lastRefillNanos = now;
    tokens -= 1;
    return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) (-tokens / qps * 1e9));
  }

  private long nanos() {
    return clock.instant().getEpochSecond() * 1_000_000_000L + clock.instant().getNano();
  }
}
