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

  /** One page of a range read, in key order, read at {@code revision}; {@code more}: keys are left after it. */
  record Page(List<KeyValue> items, long revision, boolean more) {}

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

  /**
   * Reads at most {@code limit} keys under {@code prefix}, from {@code startKey} (inclusive; empty:
   * the prefix itself) on, at {@code revision} (0: the newest). Every read of the store is a page,
   * so no response grows with the number of objects.
   */
  Page listPage(String prefix, String startKey, long revision, int limit);

  /** Every key under {@code prefix}, read in pages of {@link SizeLimits#LIST_PAGE_SIZE}, all at one revision. */
  default ListResult list(String prefix) {
    List<KeyValue> items = new java.util.ArrayList<>();
    Page page = listPage(prefix, "", 0, SizeLimits.LIST_PAGE_SIZE);
    long revision = page.revision();
    items.addAll(page.items());
    while (page.more() && !page.items().isEmpty()) {
      String next = page.items().getLast().key() + "\0";
      page = listPage(prefix, next, revision, SizeLimits.LIST_PAGE_SIZE);
      items.addAll(page.items());
    }
    return new ListResult(items, revision);
  }

  /** Writes the key only if absent; returns the new revision, or -1 if the key exists. */
  default long create(String key, byte[] value) {
    return create(key, value, 0);
  }

  /** Like {@link #create(String, byte[])}; with {@code ttlSeconds > 0} the key expires after about that long. */
  long create(String key, byte[] value, long ttlSeconds);

  /** Writes the key only if its modification revision is {@code expected}; returns the new revision, or -1. */
  default long update(String key, byte[] value, long expectedModRevision) {
    return update(key, value, expectedModRevision, 0);
  }

  /** Like {@link #update(String, byte[], long)}; with {@code ttlSeconds > 0} the key expires after about that long. */
  long update(String key, byte[] value, long expectedModRevision, long ttlSeconds);

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

    /** A read at a compacted revision (etcd does not say up to where it compacted). */
    public CompactedException(String message) {
      super(message);
      this.compactedRevision = 0;
    }

    public long compactedRevision() {
      return compactedRevision;
    }
  }

  /** The value is larger than the store accepts (etcd's --max-request-bytes): retrying cannot help. */
  final class RequestTooLargeException extends RuntimeException {
    public RequestTooLargeException(String message) {
      super(message);
    }
  }

  /** A read asked for a revision the store has not reached (a forged or foreign continue token). */
  final class FutureRevisionException extends RuntimeException {
    public FutureRevisionException(String message) {
      super(message);
    }
  }

  /** The store refused the request for a reason that retrying cannot fix (a bug, not an outage). */
  final class StoreFailedException extends RuntimeException {
    public StoreFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The store could not be reached in time; the same request may succeed later. */
  final class UnavailableException extends RuntimeException {
    public UnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
