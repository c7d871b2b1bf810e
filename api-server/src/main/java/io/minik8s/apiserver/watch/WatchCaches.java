package io.minik8s.apiserver.watch;

import io.minik8s.apiserver.registry.ObjectCodec;
import io.minik8s.apiserver.storage.Store;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.api.Resources;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import io.minik8s.client.component.SupervisedLoops;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One {@link WatchCache} per resource, and the entry point for starting a client's watch.
 *
 * <p>Mirrors Kubernetes' staging/src/k8s.io/apiserver/pkg/storage/cacher/cacher.go.
 */
public final class WatchCaches implements AutoCloseable {
  /** How long a watch from a revision etcd has not reached yet waits (Kubernetes' cacher: 3 s). */
  static final Duration FUTURE_REVISION_WAIT = Duration.ofSeconds(3);

  private final Store store;
  private final Map<ResourceType, WatchCache> caches = new LinkedHashMap<>();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "watch-bookmarks");
    t.setDaemon(true);
    return t;
  });

  /** Bookmarks go out under {@code loops}: a pass that throws is counted and the timer goes on. */
  public WatchCaches(Store store, int windowCapacity, Duration bookmarkInterval, SupervisedLoops loops) {
    this.store = store;
    for (ResourceType t : Resources.ALL) {
      caches.put(t, new WatchCache(t, store, windowCapacity));
    }
    loops.scheduleWithFixedDelay(ticker, "watch-bookmarks", bookmarkInterval, bookmarkInterval,
        () -> caches.values().forEach(WatchCache::sendBookmarks));
  }

  public void start() {
    caches.values().forEach(WatchCache::start);
  }

  public WatchCache cache(ResourceType type) {
    return caches.get(type);
  }

  /**
   * Starts {@code watcher} from {@code fromRevision}: from the cache if it can, else from etcd.
   * The watcher never gets a change at or below {@code fromRevision}: the client has those
   * already. A revision newer than the cache's is served from the cache's stream once etcd has
   * reached it (whatever came before is in flight to the cache and filtered out); a revision etcd
   * has not reached within {@link #FUTURE_REVISION_WAIT} is refused, as Kubernetes does.
   */
  public void watch(ResourceType type, String namespace, long fromRevision, Watcher watcher) {
    WatchCache cache = caches.get(type);
    if (fromRevision > 0) {
      watcher.skipThrough(fromRevision);
      if (fromRevision > cache.latestRevision()) {
        awaitStoreRevision(fromRevision);
      }
    }
    if (!cache.subscribe(watcher, fromRevision)) {
      DirectWatch.start(store, type, ObjectCodec.prefix(type, namespace), fromRevision, watcher);
    }
  }

  /** Waits, briefly, for etcd to reach {@code revision}; a future revision is refused. */
  private void awaitStoreRevision(long revision) {
    long deadline = System.nanoTime() + FUTURE_REVISION_WAIT.toNanos();
    for (long current = store.currentRevision(); current < revision; current = store.currentRevision()) {
      if (System.nanoTime() >= deadline) {
        throw new TooLargeResourceVersion(revision, current);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TooLargeResourceVersion(revision, current);
      }
    }
  }

  public int watcherCount() {
    return caches.values().stream().mapToInt(WatchCache::watcherCount).sum();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    caches.values().forEach(WatchCache::close);
  }
}
