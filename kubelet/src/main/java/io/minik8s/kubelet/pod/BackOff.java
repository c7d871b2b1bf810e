package io.minik8s.kubelet.pod;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key exponential back-off as the kubelet uses it for crash loops and image pulls: the first
 * retry is free, then each one waits twice as long as the last (10 s, 20 s, ... up to 5 min).
 * A key quiet for twice the maximum starts over, so a container that ran fine for a long time
 * is restarted promptly after a one-off crash.
 *
 * <p>Mirrors Kubernetes' staging/src/k8s.io/client-go/util/flowcontrol/backoff.go.
 */
public final class BackOff {
  private record Entry(Duration delay, Instant lastUpdate) {}

  private final Duration initial;
  private final Duration max;
  private final Clock clock;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  public BackOff(Duration initial, Duration max, Clock clock) {
    this.initial = initial;
    this.max = max;
    this.clock = clock;
  }

  /** How long to wait still, counting from {@code since} (a crash's finish time), before retrying. */
  public Duration remaining(String key, Instant since) {
    Entry e = live(key);
    if (e == null) {
      return Duration.ZERO;
    }
    Duration left = e.delay().minus(Duration.between(since, clock.instant()));
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Like {@link #remaining(String, Instant)} counted from the last retry. */
  public Duration remaining(String key) {
    Entry e = live(key);
    return e == null ? Duration.ZERO : remaining(key, e.lastUpdate());
  }

  /** Records a retry now: the next one waits the doubled delay. */
  public Duration next(String key) {
    Entry e = live(key);
    Duration delay = e == null ? initial : e.delay().multipliedBy(2);
    if (delay.compareTo(max) > 0) {
      delay = max;
    }
    entries.put(key, new Entry(delay, clock.instant()));
    return delay;
  }

  /** The delay a retry would wait now (zero before the first failure). */
  public Duration delay(String key) {
    Entry e = live(key);
    return e == null ? Duration.ZERO : e.delay();
  }

  public void reset(String key) {
    entries.remove(key);
  }

  public void resetPrefix(String prefix) {
    entries.keySet().removeIf(k -> k.startsWith(prefix));
  }

  private Entry live(String key) {
    Entry e = entries.get(key);
    if (e != null && Duration.between(e.lastUpdate(), clock.instant()).compareTo(max.multipliedBy(2)) > 0) {
      entries.remove(key);
      return null;
    }
    return e;
  }
}
