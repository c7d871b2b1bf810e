package io.minik8s.client.leaderelection;

import io.minik8s.api.Lease;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the leader's record lives: a Lease object, read and compare-and-swapped. Every call
 * gets a timeout and must fail (throw) once it has passed, so a stalled server cannot hold a
 * leader past its renew deadline.
 */
public interface LeaseLock {
  Optional<Lease> get(Duration timeout);

  /** Creates the lease; false if someone else created it first. */
  boolean create(Lease lease, Duration timeout);

  /** Replaces the lease if its resourceVersion still matches; false on a conflict. */
  boolean update(Lease lease, Duration timeout);

  /** {@code namespace/name}, for logs. */
  String describe();
}
