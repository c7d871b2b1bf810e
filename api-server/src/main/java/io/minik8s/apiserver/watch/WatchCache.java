package io.minik8s.apiserver.watch;

import com.google.protobuf.Message;
import io.grpc.Status;
import io.minik8s.apiserver.registry.ObjectCodec;
import io.minik8s.apiserver.storage.Store;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watch cache of one resource: one etcd watch, however many clients watch. It keeps the
 * current objects (so a watch that starts "now" gets them as ADDED events) and a window of
 * recent changes (so a watch from a recent resourceVersion replays what it missed). A watch
 * from before the window is not served here: the caller falls back to etcd's own history, and
 * etcd says whether that revision is still there or compacted.
 *
 * <p>Mirrors Kubernetes' staging/src/k8s.io/apiserver/pkg/storage/cacher/watch_cache.go.
 */
public final class WatchCache {
  private static final Logger log = LoggerFactory.getLogger(WatchCache.class);

  private final ResourceType type;
  private final Store store;
  private final int capacity;
  private final Map<String, Message> objects = new TreeMap<>();
  private final ArrayDeque<WatchEventRecord> window = new ArrayDeque<>();
  private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
  /** Every change with a revision above this is in the window. */
  private long windowStart;
  private long latest;
  private AutoCloseable etcdWatch;
  private volatile Object currentWatch;
  private boolean closed;

  public WatchCache(ResourceType type, Store store, int capacity) {
    this.type = type;
    this.store = store;
    this.capacity = capacity;
  }

  public synchronized void start() {
    Store.ListResult list = store.list(type.keyPrefix());
    objects.clear();
    for (Store.KeyValue kv : list.items()) {
      objects.put(kv.key(), ObjectCodec.decode(type, kv));
    }
    window.clear();
    windowStart = list.revision();
    latest = list.revision();
    etcdWatch = watchFrom(list.revision() + 1);
  }

  public ResourceType type() {
    return type;
  }

  /**
   * Opens the etcd watch. Each one gets a listener of its own, so that a late error from a watch
   * already replaced cannot start a second recovery.
   */
  private AutoCloseable watchFrom(long revision) {
    Object token = new Object();
    currentWatch = token;
    return store.watch(type.keyPrefix(), revision, new Store.WatchListener() {
      @Override
      public void onChanges(List<Store.Change> changes) {
        WatchCache.this.onChanges(changes);
      }

      @Override
      public void onError(Throwable error) {
        if (currentWatch == token) {
          WatchCache.this.onError(error);
        }
      }
    });
  }

  synchronized void onChanges(List<Store.Change> changes) {
    for (Store.Change c : changes) {
      if (c.revision() <= latest) {
        continue; // a resumed etcd watch may repeat what was already seen
      }
      // etcd gives the previous value; a deletion without one falls back on what the cache held.
      WatchEventRecord e = WatchEventRecord.of(type, c,
          c.type() == Store.Change.Type.DELETE ? objects.get(c.key()) : null);
      if (e == null) {
        continue;
      }
      if (e.type().equals(WatchEventRecord.DELETED)) {
        objects.remove(c.key());
      } else {
        objects.put(c.key(), e.object());
      }
      window.addLast(e);
      if (window.size() > capacity) {
        windowStart = window.removeFirst().revision();
      }
      latest = c.revision();
      for (Watcher w : watchers) {
        w.offer(e);
      }
    }
  }

  /**
   * The etcd watch reported an error. This runs on jetcd's event loop, which must never block,
   * so recovery happens on a thread of its own. A compacted start revision means changes were
   * lost: the cache is rebuilt from a fresh list and every client is sent back to list, as
   * Kubernetes does. Any other error (a member went down) only needs the etcd watch resumed
   * from the last revision seen; clients notice nothing.
   */
  void onError(Throwable error) {
    currentWatch = null;
    Thread.ofVirtual().name("watch-cache-recover-" + type.resource()).start(() -> recover(error));
  }

  private void recover(Throwable error) {
    boolean compacted = error instanceof Store.CompactedException;
    log.warn("watch cache for {}: etcd watch failed ({}); {}", type.resource(), error.toString(),
        compacted ? "relisting" : "resuming from revision " + (latestRevision() + 1));
    List<Watcher> toStop = List.of();
    synchronized (this) {
      if (closed) {
        return;
      }
      closeEtcdWatch();
      if (compacted) {
        toStop = new ArrayList<>(watchers);
        watchers.clear();
      }
    }
    for (Watcher w : toStop) {
      w.stop(Status.OUT_OF_RANGE.withDescription("too old resource version: the watch cache was reset; list again"));
    }
    for (int attempt = 0; ; attempt++) {
      try {
        synchronized (this) {
          if (closed) {
            return;
          }
          if (compacted) {
            start();
          } else {
            etcdWatch = watchFrom(latest + 1);
          }
        }
        return;
      } catch (RuntimeException e) {
        log.warn("recovering the watch cache for {} failed: {}", type.resource(), e.toString());
        try {
          Thread.sleep(Math.min(5000, 200L << Math.min(attempt, 5)));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /**
   * Registers a watcher from {@code fromRevision} (exclusive); 0 means "now": current objects
   * first, as ADDED. Returns false when that revision is older than the window.
   */
  public synchronized boolean subscribe(Watcher watcher, long fromRevision) {
    watcher.onStop(() -> watchers.remove(watcher));
    if (fromRevision == 0) {
      for (Message obj : objects.values()) {
        watcher.offer(new WatchEventRecord(WatchEventRecord.ADDED, obj, null,
            Long.parseLong(KubeObjects.meta(obj).getResourceVersion())));
      }
    } else if (fromRevision < windowStart) {
      return false;
    } else {
      for (WatchEventRecord e : window) {
        if (e.revision() > fromRevision) {
          watcher.offer(e);
        }
      }
    }
    watchers.add(watcher);
    if (watcher.stopped()) {
      watchers.remove(watcher); // cut off already: what it had to catch up on was over its buffer
    }
    return true;
  }

  /** Tells every watcher that asked for bookmarks how far the cache has seen. */
  public synchronized void sendBookmarks() {
    WatchEventRecord bookmark = new WatchEventRecord(WatchEventRecord.BOOKMARK, null, null, latest);
    for (Watcher w : watchers) {
      if (w.wantsBookmarks()) {
        w.offer(bookmark);
      }
    }
  }

  /** The current objects whose keys start with {@code keyPrefix}, as the cache holds them now. */
  public synchronized List<Message> objects(String keyPrefix) {
    return List.copyOf(((TreeMap<String, Message>) objects).subMap(keyPrefix, keyPrefix + Character.MAX_VALUE).values());
  }

  /** The current object at {@code key}, if the cache holds one. */
  public synchronized Message object(String key) {
    return objects.get(key);
  }

  public synchronized long latestRevision() {
    return latest;
  }

  public int watcherCount() {
    return watchers.size();
  }

  public void close() {
    List<Watcher> toStop;
    synchronized (this) {
      closed = true;
      toStop = new ArrayList<>(watchers);
      watchers.clear();
      closeEtcdWatch();
    }
    for (Watcher w : toStop) {
      w.stop(Status.UNAVAILABLE.withDescription("api-server shutting down"));
    }
  }

  private void closeEtcdWatch() {
    if (etcdWatch != null) {
      try {
        etcdWatch.close();
      } catch (Exception e) {
        log.debug("closing etcd watch: {}", e.toString());
      }
      etcdWatch = null;
    }
  }
}
