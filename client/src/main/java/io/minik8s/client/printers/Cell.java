package io.minik8s.client.printers;

import java.time.Instant;

/** How one cell of a table is computed from an object, at the moment the table is printed. */
@FunctionalInterface
public interface Cell<T> {
  String value(T object, Instant now);
}
