package io.minik8s.client.leaderelection;

import io.minik8s.api.Lease;
import java.util.Optional;

/** Where the leader's record lives: a Lease object, read and compare-and-swapped. */
public interface LeaseLock {
  Optional<Lease> get();

  /** Creates the lease; false if someone else created it first. */
  boolean create(Lease lease);

  /** Replaces the lease if its resourceVersion still matches; false on a conflict. */
  boolean update(Lease lease);

  /** {@code namespace/name}, for logs. */
  String describe();
}
