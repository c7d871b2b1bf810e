package io.minik8s.controllermanager.controller;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a controller is waiting to see in its informer after creating or deleting pods, so it
 * never acts twice on one gap (Kubernetes' UIDTrackingControllerExpectations). Creations are
 * counted (the new pods' uids are unknown until they are seen); deletions are tracked by uid, so
 * a pod that first turns Terminating and later disappears counts once. Expectations older than
 * five minutes are given up on: a lost watch event must not stall the set forever.
 *
 * <p>Mirrors Kubernetes' pkg/controller/controller_utils.go (ControllerExpectations).
 */
public final class ControllerExpectations {
  public static final Duration TTL = Duration.ofMinutes(5);

  private record Entry(int adds, Set<String> deletes, Instant timestamp) {}

  private final Map<String, Entry> entries = new HashMap<>();
  private final Clock clock;

  public ControllerExpectations(Clock clock) {
    this.clock = clock;
  }

  /** True when nothing is pending for the key (or the pending expectations expired). */
  public synchronized boolean satisfied(String key) {
    Entry e = entries.get(key);
    if (e == null) {
      return true;
    }
    if (e.adds <= 0 && e.deletes.isEmpty()) {
      return true;
    }
    return Duration.between(e.timestamp, clock.instant()).compareTo(TTL) > 0;
  }

  public synchronized void expectCreations(String key, int n) {
    entries.put(key, new Entry(n, new HashSet<>(), clock.instant()));
  }

  public synchronized void expectDeletions(String key, Set<String> uids) {
    entries.put(key, new Entry(0, new HashSet<>(uids), clock.instant()));
  }

  public synchronized void creationObserved(String key) {
    Entry e = entries.get(key);
    if (e != null) {
      entries.put(key, new Entry(e.adds - 1, e.deletes, e.timestamp));
    }
  }

  public synchronized void deletionObserved(String key, String uid) {
    Entry e = entries.get(key);
    if (e != null) {
      e.deletes.remove(uid);
    }
  }

  public synchronized void delete(String key) {
    entries.remove(key);
  }

  public synchronized int pendingCreations(String key) {
    Entry e = entries.get(key);
    return e == null ? 0 : Math.max(0, e.adds);
  }
}
