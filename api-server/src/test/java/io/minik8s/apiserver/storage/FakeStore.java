package io.minik8s.apiserver.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An in-memory {@link Store} for unit tests: the same compare-and-swap semantics as etcd, a
 * count of reads, and a hook that fails chosen writes (an etcd timeout, a lost race) on demand.
 */
public class FakeStore implements Store {
  /** Which write the hook is asked about. */
  public enum Op { CREATE, UPDATE, DELETE }

  /** Decides, before a write is applied, to fail it; returns null to let it through. */
  public interface WriteHook {
    RuntimeException before(Op op, String key);
  }

  private final TreeMap<String, KeyValue> data = new TreeMap<>();
  private long revision;
  public final AtomicInteger gets = new AtomicInteger();
  private volatile WriteHook hook = (op, key) -> null;

  public synchronized void onWrite(WriteHook h) {
    this.hook = h;
  }

  /** Fails the next write of {@code op} whose key matches, once, with {@code error}. */
  public void failOnce(Op op, Predicate<String> key, RuntimeException error) {
    AtomicInteger left = new AtomicInteger(1);
    onWrite((o, k) -> o == op && key.test(k) && left.getAndDecrement() > 0 ? error : null);
  }

  /** Another writer rewrites {@code key} just before the next update of it: that update's compare-and-swap loses. */
  public void modifyBeforeNextUpdate(String key) {
    onWrite((op, k) -> {
      if (op == Op.UPDATE && k.equals(key)) {
        onWrite((o, kk) -> null);
        put(key, data.get(key).value());
      }
      return null;
    });
  }

  public synchronized List<String> keys(String prefix) {
    return new ArrayList<>(data.subMap(prefix, prefix + Character.MAX_VALUE).keySet());
  }

  /** Writes a key behind the api-server's back (as another process would). */
  public synchronized long put(String key, byte[] value) {
    data.put(key, new KeyValue(key, value, ++revision));
    return revision;
  }

  public synchronized void remove(String key) {
    data.remove(key);
    revision++;
  }

  @Override
  public synchronized Optional<KeyValue> get(String key) {
    gets.incrementAndGet();
    return Optional.ofNullable(data.get(key));
  }

  /** Pages of the newest data (the fake keeps no history, so {@code atRevision} is not honoured). */
  @Override
  public synchronized Page listPage(String prefix, String startKey, long atRevision, int limit) {
    String from = startKey.isEmpty() ? prefix : startKey;
    List<KeyValue> all = new ArrayList<>(data.subMap(from, prefix + Character.MAX_VALUE).values());
    boolean more = all.size() > limit;
    return new Page(more ? new ArrayList<>(all.subList(0, limit)) : all, revision, more);
  }

  @Override
  public synchronized long create(String key, byte[] value, long ttlSeconds) {
    check(Op.CREATE, key);
    if (data.containsKey(key)) {
      return -1;
    }
    return put(key, value);
  }

  @Override
  public synchronized long update(String key, byte[] value, long expectedModRevision, long ttlSeconds) {
    check(Op.UPDATE, key);
    KeyValue kv = data.get(key);
    if (kv == null || kv.modRevision() != expectedModRevision) {
      return -1;
    }
    return put(key, value);
  }

  @Override
  public synchronized long delete(String key, long expectedModRevision) {
    check(Op.DELETE, key);
    KeyValue kv = data.get(key);
    if (kv == null || kv.modRevision() != expectedModRevision) {
      return -1;
    }
    data.remove(key);
    return ++revision;
  }

  private void check(Op op, String key) {
    RuntimeException e = hook.before(op, key);
    if (e != null) {
      throw e;
    }
  }

  @Override
  public AutoCloseable watch(String prefix, long fromRevision, WatchListener listener) {
    throw new UnsupportedOperationException("the fake store does not watch");
  }

  @Override
  public synchronized long currentRevision() {
    return revision;
  }

  @Override
  public void close() {}

  /** Every key and its value, for assertions. */
  public synchronized Map<String, KeyValue> snapshot() {
    return new TreeMap<>(data);
  }
}
