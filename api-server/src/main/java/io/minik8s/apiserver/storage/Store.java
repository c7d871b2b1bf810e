package io.minik8s.apiserver.storage;

import java.util.List;
import java.util.Optional;

/**
 * The key-value store behind the api-server: etcd in production ({@link EtcdStore}). Values are
 * opaque bytes; every write returns the store's new revision, which becomes the object's
 * resourceVersion. Conditional writes compare the key's modification revision, so an update
 * based on a stale read fails instead of overwriting.
 */
public interface Store extends AutoCloseable {

  record KeyValue(String key, byte[] value, long modRevision) {}

  record ListResult(List<KeyValue> items, long revision) {}

  /** A change seen by a watch; {@code prevValue} is the value before it (null for a create). */
  record Change(Type type, String key, byte[] value, byte[] prevValue, long revision) {
    public enum Type { PUT, DELETE }
  }

  interface WatchListener {
    void onChanges(List<Change> changes);

    /** The watch ended; {@link CompactedException} when the start revision is gone. */
    void onError(Throwable error);
  }

  Optional<KeyValue> get(String key);

  ListResult list(String prefix);

  /** Writes the key only if absent; returns the new revision, or -1 if the key exists. */
  long create(String key, byte[] value);

  /** Writes the key only if its modification revision is {@code expected}; returns the new revision, or -1. */
  long update(String key, byte[] value, long expectedModRevision);

  /** Removes the key only if its modification revision is {@code expected}; returns the new revision, or -1. */
  long delete(String key, long expectedModRevision);

  /** Streams every change under {@code prefix} with a revision of at least {@code fromRevision}. */
  AutoCloseable watch(String prefix, long fromRevision, WatchListener listener);

  /** The store's current revision (a quorum read). */
  long currentRevision();

  @Override
  void close();

  /** The requested revision has been compacted away: the client must list again. */
  final class CompactedException extends RuntimeException {
    private final long compactedRevision;

    public CompactedException(long compactedRevision) {
      super("required revision has been compacted (compacted revision " + compactedRevision + ")");
      this.compactedRevision = compactedRevision;
    }

    public long compactedRevision() {
      return compactedRevision;
    }
  }

  /** The store could not be reached in time. */
  final class UnavailableException extends RuntimeException {
    public UnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
